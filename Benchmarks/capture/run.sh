#!/usr/bin/env bash
# Capture benchmark: (1) `sockettape import --format pcap` against `tshark -Y websocket` on the
# same ~100 MB tcpdump capture of real WebSocket traffic on lo, (2) `sockettape capture` live on
# lo while the load client drives the echo server at full speed (kernel drops, messages on tape),
# and (3) `sockettape capture` live on lo while tcpreplay replays a capture of that load as fast
# as it can: the load and the echo server no longer share the cores with the capture, so the rate
# can exceed what the machine reaches in (2).
#
#   bash Benchmarks/capture/run.sh
#
# The traffic is Benchmarks/e2e's Node `ws` echo server and load client: per load round, two clients
# at once — 50 connections × 20 in flight × 64 B and 20 connections × 4 in flight × 2 KiB — until the
# capture holds CAPTURE_MB. Every variant gets its own capture; `deflate` negotiates
# permessage-deflate (every message compressed). Needs root (tcpdump and capture on lo), tcpdump,
# tshark, tcpreplay (tcprewrite too), node and node-ws.
#
# Environment (all optional):
#   SOCKETTAPE_BIN   use this binary instead of building it with scripts/build-release.sh
#                    (the build the README installs)
#   VARIANTS         default "plain deflate"; empty: live capture only
#   CAPTURE_MB       capture size to reach, default 100
#   ROUND_S          seconds per load round while capturing (fractions too), default 2
#   ROUNDS           timed runs of import and of tshark each, in turn (medians shown), default 3
#   LIVE_S           seconds of load during the live capture, default 10 (0 skips it)
#   REPLAY_S         seconds of load captured for the replayed live capture, default 3 (0 skips it)
#   LIVE_ARGS        more `sockettape capture` flags, such as --buffer-size 256MiB
#   KEEP=1           keep the temp dir (captures, tapes, logs)
#   RESULTS_OUT      also copy the raw results.jsonl here
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
E2E="$ROOT/Benchmarks/e2e"
VARIANTS=${VARIANTS-"plain deflate"}
CAPTURE_MB=${CAPTURE_MB:-100}
ROUND_S=${ROUND_S:-2}
ROUNDS=${ROUNDS:-3}
LIVE_S=${LIVE_S:-10}
REPLAY_S=${REPLAY_S:-3}
LIVE_ARGS=${LIVE_ARGS:-}
KEEP=${KEEP:-0}
NODE=${NODE:-$(command -v node || command -v nodejs)}
LOCK=/tmp/sockettape-bench.lock

log() { printf '[capture-bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in tcpdump tshark tcpreplay tcprewrite "$NODE" flock; do command -v "$tool" >/dev/null || die "$tool not found"; done
(( EUID == 0 )) || die "tcpdump and sockettape capture on lo need root"

# One benchmark at a time. Benchmarks/replay/run.sh holds the lock by the file's existence: wait
# until it is gone, hold it with flock too (against a start at the same moment), remove it at exit.
while [[ -e $LOCK ]]; do log "waiting for $LOCK ($(cat "$LOCK" 2>/dev/null || true))"; sleep 10; done
exec 9>>"$LOCK"
flock 9
echo "capture benchmark, pid $$" >"$LOCK"

WORK=$(mktemp -d /tmp/sockettape-capture-bench.XXXXXX)
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
declare -A PID=() # role -> pid we started

stop_pid() { # pid signal
  local pid=$1 sig=${2:-TERM} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid did not exit 10 s after SIG$sig; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local role
  for role in "${!PID[@]}"; do stop_pid "${PID[$role]}"; done
  wait 2>/dev/null || true
  if [[ $KEEP == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  rm -f "$LOCK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && hard=65536
ulimit -n "$hard"

if [[ -z ${SOCKETTAPE_BIN:-} ]]; then
  log "building sockettape (release)…"
  SOCKETTAPE_BIN=$("$ROOT/scripts/build-release.sh") || die "swift build failed"
fi
[[ -x $SOCKETTAPE_BIN ]] || die "not executable: $SOCKETTAPE_BIN"

# Busy CPU ticks of the whole machine (all cores), from /proc/stat.
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
TCK=$(getconf CLK_TCK)

start_echo() { # variant log-name
  local flags=()
  [[ $1 == deflate ]] && flags=(--deflate)
  local echo_log="$WORK/echo-$2.log" i
  "$NODE" "$E2E/echo-server.js" "${flags[@]}" >"$echo_log" 2>&1 &
  PID[echo]=$!
  for i in $(seq 1 100); do grep -q 'listening on' "$echo_log" && break; sleep 0.1; done
  PORT=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$echo_log" | head -n1 | sed 's/.*://')
  [[ -n $PORT ]] || die "echo server did not start: $(cat "$echo_log")"
}
stop_echo() { stop_pid "${PID[echo]}"; wait "${PID[echo]}" 2>/dev/null || true; unset 'PID[echo]'; }

# Runs one load client; its JSON result line goes to $WORK/NAME.json.
load() { # name variant seconds connections inflight size
  local name=$1 variant=$2 secs=$3 flags=()
  [[ $variant == deflate ]] && flags=(--deflate)
  timeout -k 5 $((${secs%.*} + 91)) "$NODE" "$E2E/load-client.js" --scenario throughput --name "$name" --label "$variant" \
    --url "ws://127.0.0.1:$PORT/" --warmup 0 --duration "$secs" --connections "$4" --inflight "$5" --size "$6" \
    "${flags[@]}" >"$WORK/$name.json" 2>"$WORK/$name.err" || log "load client $name exited with $?"
  [[ -s $WORK/$name.json ]] || die "load client $name printed no result: $(head -c 300 "$WORK/$name.err")"
}

# The tape's data messages (binary + text) per direction and its sealed/gap state, as JSON.
tape_counts() { # tape
  "$SOCKETTAPE_BIN" inspect "$1" --json | tail -n1 | jq -c '
    def n(side): [(.[side].by_opcode // {}) | (.binary.messages // 0), (.text.messages // 0)] | add;
    {sealed, sessions, client: n("client"), server: n("server"), gap_records: (.gaps.records // 0)}'
}

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }

# Times `command…` once, stdout to OUT, and adds the run to NAME's samples: wall s, CPU s, peak
# RSS MiB, and the CPU the rest of the machine used meanwhile (% of one core).
time_once() { # name out command…
  local name=$1 out=$2; shift 2
  local m0 m1 wall user sys maxrss other
  sync
  m0=$(machine_ticks)
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >"$out" 2>"$WORK/$name.err" || die "$name failed: $(tail -n 3 "$WORK/$name.err")"
  m1=$(machine_ticks)
  read -r wall user sys maxrss <"$WORK/time"
  other=$(echo "scale=1; x = (($m1 - $m0) / $TCK - $user - $sys) * 100 / $wall; if (x < 0) 0 else x" | bc)
  echo "$wall $(echo "$user + $sys" | bc) $((maxrss / 1024)) $other" >>"$WORK/$name.samples"
  log "$name: ${wall} s wall, $user + $sys s CPU, other processes $other % of a core"
}

# The median of one column of NAME's samples.
sample_median() { # name column
  awk -v column="$2" '{print $column}' "$WORK/$1.samples" | median
}

# Appends NAME's medians to the results: {"name","wall_s","cpu_s","rss_mib","other_cpu_pct"}.
record_medians() { # name
  jq -nc --arg name "$1" --argjson wall "$(sample_median "$1" 1)" --argjson cpu "$(sample_median "$1" 2)" \
    --argjson rss "$(sample_median "$1" 3)" --argjson other "$(sample_median "$1" 4)" \
    '{name: $name, wall_s: $wall, cpu_s: $cpu, rss_mib: $rss, other_cpu_pct: $other}' >>"$RESULTS"
}

# ---------------------------------------------------------------- import against tshark

import_variant() { # variant
  local v=$1 pcap="$WORK/$1.pcap" round=0 size=0 last=-1 i
  start_echo "$v" "$v"
  # Not --immediate-mode: with it libpcap uses a TPACKET_V2 ring of snap-length-sized slots, a few
  # hundred in 64 MiB, and tcpdump dropped 2-4 % of the packets of this load; the default
  # TPACKET_V3 blocks hold packets at their size and dropped none. Raised priority: the load
  # shares the cores, and a packet tcpdump drops is a hole in every decoder's view.
  nice -n -10 tcpdump -i lo -B 65536 -U -s 0 -w "$pcap" "tcp port $PORT" 2>"$WORK/tcpdump-$v.err" &
  PID[tcpdump]=$!
  for i in $(seq 1 100); do grep -q 'listening on' "$WORK/tcpdump-$v.err" && break; sleep 0.1; done
  grep -q 'listening on' "$WORK/tcpdump-$v.err" || die "tcpdump did not start: $(cat "$WORK/tcpdump-$v.err")"
  while (( size < CAPTURE_MB * 1000000 )); do
    round=$((round + 1))
    load "$v-small-$round" "$v" "$ROUND_S" 50 20 64 &
    local small=$!
    load "$v-medium-$round" "$v" "$ROUND_S" 20 4 2048
    wait "$small"
    size=$(stat -c %s "$pcap")
    log "$v: load round $round done, capture $((size / 1000000)) MB"
  done
  # tcpdump -U still holds packets it has not written: wait until the file stops growing.
  while (( size != last )); do last=$size; sleep 1; size=$(stat -c %s "$pcap"); done
  stop_pid "${PID[tcpdump]}" INT
  wait "${PID[tcpdump]}" 2>/dev/null || true
  unset 'PID[tcpdump]'
  stop_echo
  local dropped
  dropped=$(grep -oE '[0-9]+ packets dropped by kernel' "$WORK/tcpdump-$v.err" | cut -d' ' -f1)
  local clients
  clients=$(cat "$WORK/$v"-{small,medium}-*.json | jq -sc '{sent: (map(.data_sent_total) | add),
    received: (map(.data_received_total) | add), errors: (map(.error_total) | add), rounds: (length / 2)}')

  # Import and tshark take turns, so that the machine's speed, which drifts on this VM by more
  # than the changes measured, weighs on both alike.
  log "$v: capture $(stat -c %s "$pcap") bytes; timing sockettape import and tshark in turn…"
  local r
  for r in $(seq 1 "$ROUNDS"); do
    time_once "import-$v" "$WORK/import-$v.out" "$SOCKETTAPE_BIN" import "$pcap" --format pcap -o "$WORK/$v.tape" --port "$PORT"
    time_once "tshark-$v" /dev/null tshark -r "$pcap" -Y websocket -o tcp.desegment_tcp_streams:TRUE
  done
  record_medians "import-$v"
  record_medians "tshark-$v"
  local holes packets
  holes=$(grep -oE '[0-9]+ hole\(s\)' "$WORK/import-$v.out" | cut -d' ' -f1 || true)
  packets=$(grep -oE '^ *[0-9]+ packet\(s\),' "$WORK/import-$v.out" | grep -oE '[0-9]+')
  jq -nc --arg v "$v" --argjson bytes "$(stat -c %s "$pcap")" --argjson packets "$packets" \
    --argjson dropped "${dropped:-null}" --argjson clients "$clients" --argjson tape "$(tape_counts "$WORK/$v.tape")" \
    --argjson holes "${holes:-0}" \
    '{name: "capture", variant: $v, bytes: $bytes, packets: $packets, tcpdump_dropped: $dropped,
      clients: $clients, tape: $tape, holes: $holes}' >>"$RESULTS"
  [[ $KEEP == 1 ]] || rm -f "$pcap" "$WORK/$v.tape"
}

# ---------------------------------------------------------------- live capture

# Runs `sockettape capture` on lo (tcp port PORT) into $WORK/NAME.tape while `command…` runs, then
# stops it with SIGINT; sets CAPTURE_RC, CAPTURE_CPU_S (its CPU while the command ran) and
# CAPTURE_KERNEL (its report of the kernel's counts).
capture_around() { # name command…
  local name=$1 i t0 t1
  shift
  # shellcheck disable=SC2086
  "$SOCKETTAPE_BIN" capture --interface lo --port "$PORT" -o "$WORK/$name.tape" $LIVE_ARGS >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID[capture]=$!
  for i in $(seq 1 100); do grep -q 'capturing on' "$WORK/$name.err" && break; sleep 0.1; done
  grep -q 'capturing on' "$WORK/$name.err" || die "sockettape capture did not start: $(cat "$WORK/$name.err")"
  t0=$(awk '{print $14 + $15}' "/proc/${PID[capture]}/stat")
  "$@"
  t1=$(awk '{print $14 + $15}' "/proc/${PID[capture]}/stat")
  sleep 1
  CAPTURE_RC=0
  kill -INT "${PID[capture]}"
  wait "${PID[capture]}" || CAPTURE_RC=$?
  unset 'PID[capture]'
  CAPTURE_CPU_S=$(echo "scale=2; ($t1 - $t0) / $TCK" | bc)
  CAPTURE_KERNEL=$(grep -oE 'kernel: [0-9]+ received, [0-9]+ dropped, [0-9]+ dropped by the interface' "$WORK/$name.out" || echo '')
}

live() {
  start_echo plain live
  load live-direct plain "$LIVE_S" 50 20 64 # the rate this machine reaches without capturing
  capture_around live load live-captured plain "$LIVE_S" 50 20 64
  stop_echo
  jq -nc --argjson direct "$(cat "$WORK/live-direct.json")" --argjson captured "$(cat "$WORK/live-captured.json")" \
    --arg kernel "$CAPTURE_KERNEL" --argjson rc "$CAPTURE_RC" --argjson tape "$(tape_counts "$WORK/live.tape")" \
    --argjson cpu "$CAPTURE_CPU_S" --arg args "$LIVE_ARGS" \
    '{name: "live", args: $args, direct: $direct, captured: $captured, kernel: $kernel, exit_code: $rc, tape: $tape, capture_cpu_s: $cpu}' >>"$RESULTS"
}

# ---------------------------------------------------------------- live capture of a replay

replay_topspeed() { # pcap
  tcpreplay -i lo --topspeed "$1" >"$WORK/tcpreplay.out" 2>&1 || die "tcpreplay failed: $(tail -n 5 "$WORK/tcpreplay.out")"
}

# tcpdump captures REPLAY_S s of the 64 B load; tcprewrite moves its addresses from 127.0.0.0/8 to
# 10.0.0.0/8, so that the kernel drops the replayed packets (no local address, no forwarding)
# instead of answering them with resets; tcpreplay --topspeed sends them onto lo while
# `sockettape capture` runs. The tape must equal `sockettape import` of the same file.
live_replay() {
  start_echo plain replay
  local pcap="$WORK/replay-source.pcap" replay="$WORK/replay.pcap" i
  tcpdump -i lo -B 65536 -U -s 0 -w "$pcap" "tcp port $PORT" 2>"$WORK/tcpdump-replay.err" &
  PID[tcpdump]=$!
  for i in $(seq 1 100); do grep -q 'listening on' "$WORK/tcpdump-replay.err" && break; sleep 0.1; done
  load replay-load plain "$REPLAY_S" 50 20 64
  local size last=-1
  size=$(stat -c %s "$pcap")
  while (( size != last )); do last=$size; sleep 1; size=$(stat -c %s "$pcap"); done
  stop_pid "${PID[tcpdump]}" INT
  wait "${PID[tcpdump]}" 2>/dev/null || true
  unset 'PID[tcpdump]'
  stop_echo
  tcprewrite --infile="$pcap" --outfile="$replay" --srcipmap=127.0.0.0/8:10.0.0.0/8 \
    --dstipmap=127.0.0.0/8:10.0.0.0/8 --fixcsum >"$WORK/tcprewrite.out" 2>&1 || die "tcprewrite failed: $(cat "$WORK/tcprewrite.out")"
  capture_around replay-live replay_topspeed "$replay"
  "$SOCKETTAPE_BIN" import "$replay" --format pcap -o "$WORK/replay-import.tape" --port "$PORT" >/dev/null
  local sent seconds
  sent=$(grep -oE 'Actual: [0-9]+ packets \([0-9]+ bytes\) sent in [0-9.]+ seconds' "$WORK/tcpreplay.out")
  seconds=$(echo "$sent" | grep -oE '[0-9.]+ seconds' | cut -d' ' -f1)
  jq -nc --arg sent "$sent" --argjson seconds "$seconds" --argjson packets "$(echo "$sent" | grep -oE '[0-9]+ packets' | cut -d' ' -f1)" \
    --arg kernel "$CAPTURE_KERNEL" --argjson rc "$CAPTURE_RC" --argjson load "$(cat "$WORK/replay-load.json")" \
    --argjson live "$(tape_counts "$WORK/replay-live.tape")" --argjson imported "$(tape_counts "$WORK/replay-import.tape")" \
    --argjson cpu "$CAPTURE_CPU_S" --arg args "$LIVE_ARGS" \
    '{name: "replay", args: $args, tcpreplay: $sent, seconds: $seconds, packets: $packets, kernel: $kernel, exit_code: $rc,
      load: $load, live: $live, imported: $imported, capture_cpu_s: $cpu}' >>"$RESULTS"
}

for v in $VARIANTS; do import_variant "$v"; done
(( LIVE_S > 0 )) && live
(( REPLAY_S > 0 )) && live_replay

jq -nc --arg date "$(date -u +%FT%TZ)" --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg tshark "$(tshark --version | head -n1)" --argjson nproc "$(nproc)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" --argjson rounds "$ROUNDS" \
  '{name: "env", date: $date, commit: $commit, tshark: $tshark, nproc: $nproc, cpu: $cpu, loadavg: $load, rounds: $rounds}' >>"$RESULTS"
[[ -n ${RESULTS_OUT:-} ]] && cp "$RESULTS" "$RESULTS_OUT"
"$NODE" "$HERE/report.js" "$RESULTS"
