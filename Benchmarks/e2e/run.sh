#!/usr/bin/env bash
# End-to-end benchmark: one Node `ws` echo server, measured from an independent Node `ws`
# load client (a) directly, (b) through `sockettape proxy`, (c) through `sockettape proxy
# --record`, (d) through nginx — all in one run, all on 127.0.0.1.
#
#   bash Benchmarks/e2e/run.sh
#
# Environment (all optional):
#   SOCKETTAPE_BIN     use this binary instead of building it as the README installs it (static Swift runtime)
#   TARGETS            default "direct sockettape sockettape-record sockettape-policy nginx"
#   SCENARIOS          default "idle small large sio-small sio-large latency churn"
#   DURATION, WARMUP   seconds per scenario measurement / warm-up (default 5 / 1)
#   ROUNDS             repeat the timed scenarios this many times; the table shows medians (default 1)
#   IDLE_CONNS         idle connections for the RSS-per-connection scenario (default 2000)
#   IDLE_HOLD          seconds the idle connections are held before being checked again (default 2)
#   CHURN_CONCURRENCY  concurrent open→message→close loops (default 8)
#   TAPE_DIR           where the recording proxy writes its tape (default: the run's temp dir)
#   RECORD_ARGS        more flags for the recording proxy, e.g. "--when-tape-behind drop --tape-queue 64M"
#   KEEP=1             keep the temp dir (logs, results.jsonl, tape) instead of deleting it
#   RESULTS_OUT        also copy results.jsonl here
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

TARGETS=${TARGETS:-"direct sockettape sockettape-record sockettape-policy nginx"}
SCENARIOS=${SCENARIOS:-"idle small large sio-small sio-large latency churn"}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
ROUNDS=${ROUNDS:-1}
IDLE_CONNS=${IDLE_CONNS:-2000}
IDLE_HOLD=${IDLE_HOLD:-2}
CHURN_CONCURRENCY=${CHURN_CONCURRENCY:-8}
NODE=${NODE:-node}
NGINX=${NGINX:-nginx}
KEEP=${KEEP:-0}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- limits, temp dir, cleanup

hard=$(ulimit -Hn)
if [[ $hard == unlimited ]]; then hard=65536; fi
ulimit -n "$hard" || true
need=$((2 * IDLE_CONNS + 256))
if (( $(ulimit -n) < need )); then
  log "warning: ulimit -n is $(ulimit -n), $need wanted for IDLE_CONNS=$IDLE_CONNS"
fi

WORK=$(mktemp -d /tmp/sockettape-bench.XXXXXX)
TAPE_DIR=${TAPE_DIR:-$WORK}
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

declare -A PID=()        # role -> pid we started
declare -A RSS_PID=()    # target -> pid whose memory is measured
declare -A URL=()        # target -> ws:// URL
declare -A DEAD=()       # target -> reason, once it stopped answering

stop_pid() { # pid name
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not exit 5 s after SIGTERM; sending SIGKILL"
  echo "{\"name\":\"shutdown\",\"label\":\"$name\",\"errors\":{\"no_exit_after_sigterm\":1}}" >>"$RESULTS"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local role
  for role in "${!PID[@]}"; do stop_pid "${PID[$role]}" "$role"; done
  wait 2>/dev/null || true
  if [[ -n ${RESULTS_OUT:-} && -f $RESULTS ]]; then cp "$RESULTS" "$RESULTS_OUT" || true; fi
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits for "listening on 127.0.0.1:PORT" in a log file; prints PORT.
wait_listening() { # logfile pid name
  local file=$1 pid=$2 name=$3 i line
  for i in $(seq 1 300); do
    line=$(grep -m1 -ohE 'listening on 127\.0\.0\.1:[0-9]+' "$file" "$file.err" 2>/dev/null | head -n1 || true)
    if [[ -n $line ]]; then echo "${line##*:}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { log "$name exited during start-up:"; tail -n 20 "$file" "$file.err" >&2 || true; return 1; }
    sleep 0.1
  done
  log "$name did not print 'listening on 127.0.0.1:PORT' within 30 s"; return 1
}

wait_port() { # port pid name
  local port=$1 pid=$2 name=$3 i
  for i in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { log "$name exited during start-up"; return 1; }
    sleep 0.1
  done
  log "$name not accepting on 127.0.0.1:$port within 30 s"; return 1
}

free_port() {
  "$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wants() { [[ " $TARGETS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- build

SOCKETTAPE_COMMIT=""
if wants sockettape || wants sockettape-record || wants sockettape-policy; then
  if [[ -z ${SOCKETTAPE_BIN:-} ]]; then
    log "building sockettape (release)…"
    SOCKETTAPE_BIN=$("$ROOT/scripts/build-release.sh") || die "swift build failed"
  fi
  [[ -x $SOCKETTAPE_BIN ]] || die "not executable: $SOCKETTAPE_BIN"
  SOCKETTAPE_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
fi

# ---------------------------------------------------------------- start everything

"$NODE" "$HERE/echo-server.js" >"$WORK/echo.log" 2>"$WORK/echo.log.err" &
PID[echo]=$!
ECHO_PORT=$(wait_listening "$WORK/echo.log" "${PID[echo]}" echo-server) || die "echo server did not start"
log "echo server pid ${PID[echo]} on 127.0.0.1:$ECHO_PORT"

if wants direct; then
  URL[direct]="ws://127.0.0.1:$ECHO_PORT/"
  RSS_PID[direct]=${PID[echo]}
fi

start_sockettape() { # target [extra args…]
  local target=$1; shift
  "$SOCKETTAPE_BIN" proxy --listen 127.0.0.1:0 --upstream "ws://127.0.0.1:$ECHO_PORT" "$@" \
    >"$WORK/$target.log" 2>"$WORK/$target.log.err" &
  PID[$target]=$!
  local port
  port=$(wait_listening "$WORK/$target.log" "${PID[$target]}" "$target") || die "$target did not start"
  grep -q 'listening on 127\.0\.0\.1:' "$WORK/$target.log" ||
    log "warning: $target printed 'listening on …' on stderr, not stdout"
  URL[$target]="ws://127.0.0.1:$port/"
  RSS_PID[$target]=${PID[$target]}
  log "$target pid ${PID[$target]} on 127.0.0.1:$port"
}
TAPE="$TAPE_DIR/bench-$$.tape"
if wants sockettape; then start_sockettape sockettape; fi
# shellcheck disable=SC2086  # RECORD_ARGS is a list of flags
if wants sockettape-record; then start_sockettape sockettape-record --record "$TAPE" ${RECORD_ARGS:-}; fi
if wants sockettape-policy; then start_sockettape sockettape-policy --config "$HERE/policy.yaml"; fi

if wants nginx; then
  NGX="$WORK/nginx"
  mkdir -p "$NGX"
  NGINX_PORT=$(free_port)
  sed -e "s|@PREFIX@|$NGX|g" -e "s|@LISTEN_PORT@|$NGINX_PORT|g" -e "s|@UPSTREAM_PORT@|$ECHO_PORT|g" \
    "$HERE/nginx.conf" >"$NGX/nginx.conf"
  "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" >"$WORK/nginx.log" 2>&1 &
  PID[nginx]=$!
  wait_port "$NGINX_PORT" "${PID[nginx]}" nginx || { cat "$NGX/error.log" >&2 || true; die "nginx did not start"; }
  sleep 0.2
  worker=$(ps -o pid= --ppid "${PID[nginx]}" | head -n1 | tr -d ' ')
  [[ -n $worker ]] || die "no nginx worker process found"
  URL[nginx]="ws://127.0.0.1:$NGINX_PORT/"
  RSS_PID[nginx]=$worker
  log "nginx master ${PID[nginx]}, worker $worker on 127.0.0.1:$NGINX_PORT"
fi

# ---------------------------------------------------------------- scenarios

scenario_args() { # name -> load-client arguments
  case $1 in
    idle)    echo "--scenario idle --connections $IDLE_CONNS --hold $IDLE_HOLD" ;;
    small)   echo "--scenario throughput --connections 50 --inflight 20 --size 64" ;;
    large)   echo "--scenario throughput --connections 10 --inflight 4 --size 16384" ;;
    sio-small) echo "--scenario throughput --connections 50 --inflight 20 --size 64 --socketio" ;;
    sio-large) echo "--scenario throughput --connections 10 --inflight 4 --size 16384 --socketio" ;;
    latency) echo "--scenario latency --size 64" ;;
    churn)   echo "--scenario churn --concurrency $CHURN_CONCURRENCY --size 64" ;;
    *) die "unknown scenario $1" ;;
  esac
}

run_client() { # target scenario round
  local target=$1 name=$2 round=$3 rc=0 limit
  if [[ -n ${DEAD[$target]:-} ]]; then
    echo "{\"name\":\"$name\",\"label\":\"$target\",\"round\":$round,\"ok\":false,\"errors\":{\"target_dead\":1}}" >>"$RESULTS"
    return
  fi
  limit=$((WARMUP + DURATION + IDLE_HOLD + 120))
  # shellcheck disable=SC2046
  timeout -k 5 "$limit" "$NODE" "$HERE/load-client.js" --clk-tck "$(getconf CLK_TCK)" --name "$name" --label "$target" --round "$round" \
    --url "${URL[$target]}" --pid "${RSS_PID[$target]}" --echo-pid "${PID[echo]}" --warmup "$WARMUP" --duration "$DURATION" \
    $(scenario_args "$name") >"$WORK/client.out" 2>"$WORK/client.err" || rc=$?
  if [[ -s $WORK/client.out ]]; then
    cat "$WORK/client.out" >>"$RESULTS"
  else
    echo "{\"name\":\"$name\",\"label\":\"$target\",\"round\":$round,\"ok\":false,\"errors\":{\"client_exit_$rc\":1}}" >>"$RESULTS"
  fi
  if [[ -s $WORK/client.err ]]; then log "client stderr ($target/$name):"; head -n 5 "$WORK/client.err" >&2; fi
  local short
  short=$(tail -n1 "$RESULTS" | cut -c1-220)
  log "$target/$name (round $round, rc $rc): $short"
  # Did the measured process survive?
  local p=${PID[$target]:-${PID[echo]}}
  if ! kill -0 "$p" 2>/dev/null; then
    DEAD[$target]="exited during $name"
    log "$target (pid $p) is gone after $name"
    echo "{\"name\":\"crash\",\"label\":\"$target\",\"after\":\"$name\",\"errors\":{\"process_exited\":1}}" >>"$RESULTS"
  fi
  # The kernel writes the recording proxy's tape back after its round: wait for that here, so that
  # the write-back (GBs after the throughput scenarios) does not run during the next measurement.
  if [[ $target == sockettape-record ]]; then sync; fi
  sleep 1 # let sockets in TIME_WAIT and GC settle between runs
}

for name in $SCENARIOS; do
  rounds=$ROUNDS
  [[ $name == idle ]] && rounds=1 # measured once, on fresh processes
  for round in $(seq 1 "$rounds"); do
    for target in $TARGETS; do run_client "$target" "$name" "$round"; done
  done
done

# ---------------------------------------------------------------- memory, tape, shutdown

for target in $TARGETS; do
  pid=${RSS_PID[$target]}
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  rss=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
  extra=""
  if [[ $target == sockettape-record ]]; then
    tape_bytes=$(du -sb "$TAPE" 2>/dev/null | cut -f1 || true)
    extra=",\"tape_bytes\":${tape_bytes:-null}"
  fi
  echo "{\"name\":\"memory\",\"label\":\"$target\",\"pid\":$pid,\"hwm_kib\":${hwm:-null},\"rss_kib\":${rss:-null}$extra}" >>"$RESULTS"
done

for target in sockettape sockettape-record sockettape-policy; do
  [[ -n ${PID[$target]:-} ]] || continue
  pid=${PID[$target]}
  stop_pid "$pid" "$target"
  rc=0; wait "$pid" 2>/dev/null || rc=$?
  unset "PID[$target]"
  lines=$(wc -l <"$WORK/$target.log.err")
  tail_json=$("$NODE" -e 'const t=require("fs").readFileSync(process.argv[1],"utf8").trim();console.log(JSON.stringify(t?t.split("\n").slice(-5):[]))' "$WORK/$target.log.err")
  echo "{\"name\":\"exit\",\"label\":\"$target\",\"exit_code\":$rc,\"stderr_lines\":$lines,\"stderr_tail\":$tail_json}" >>"$RESULTS"
  if (( lines > 0 )); then log "$target stderr (last 10 of $lines lines):"; tail -n 10 "$WORK/$target.log.err" >&2; fi
done

# Is every message the clients sent through the recording proxy on the tape (or in a reported gap)?
if wants sockettape-record && [[ -s $TAPE ]]; then
  summary=$(timeout 300 "$SOCKETTAPE_BIN" inspect "$TAPE" --json 2>"$WORK/inspect.err" | tail -n1 || true)
  if [[ $summary == \{* ]]; then
    echo "{\"name\":\"tape\",\"label\":\"sockettape-record\",\"summary\":$summary}" >>"$RESULTS"
  else
    log "sockettape inspect failed: $(head -c 300 "$WORK/inspect.err")"
    echo "{\"name\":\"tape\",\"label\":\"sockettape-record\",\"errors\":{\"inspect_failed\":1}}" >>"$RESULTS"
  fi
fi

# The CPU model: the proxy's ratios to nginx, and their noise, differ from one kind of machine to another.
CPU_MODEL=$(awk -F': ' '/^model name/ {gsub(/["\\]/, "", $2); print $2; exit}' /proc/cpuinfo)
ENV_JSON=$(printf '{"name":"env","date":"%s","nproc":%s,"cpu":"%s","node":"%s","nginx":"%s","sockettape_commit":"%s","duration_s":%s,"warmup_s":%s,"rounds":%s,"idle_conns":%s,"churn_concurrency":%s}' \
  "$(date -u +%FT%TZ)" "$(nproc)" "${CPU_MODEL:-unknown CPU}" "$("$NODE" --version)" "$("$NGINX" -v 2>&1 | sed 's|.*/||')" \
  "$SOCKETTAPE_COMMIT" "$DURATION" "$WARMUP" "$ROUNDS" "$IDLE_CONNS" "$CHURN_CONCURRENCY")
echo "$ENV_JSON" >>"$RESULTS"

"$NODE" "$HERE/report.js" "$RESULTS" "$TARGETS"
