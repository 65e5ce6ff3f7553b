#!/usr/bin/env bash
# The floor of a SwiftNIO proxy: the churn scenario of Benchmarks/e2e (or, with SCENARIO=latency,
# its lone round trip) against a bare NIO relay (raw bytes, and with NIO's HTTP/1 codecs around
# the handshake), sockettape, nginx and direct, in interleaved rounds. Results: docs/benchmarks.md
# ("Churn: the SwiftNIO floor", "Round trip: the SwiftNIO floor").
#
#   (cd Benchmarks/nio-floor && swift build -c release) && swift build -c release --product sockettape
#   bash Benchmarks/nio-floor/bench.sh   # ROUNDS, DURATION, TARGETS, OUT, SCENARIO; STRACE="floor-raw nginx"; PERF="…"
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
E2E=$ROOT/Benchmarks/e2e
FLOOR=${FLOOR:-$HERE/.build/release/nio-floor}
ST=${SOCKETTAPE_BIN:-$ROOT/.build/release/sockettape}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
TARGETS=${TARGETS:-"floor-raw floor-http sockettape nginx direct"}
OUT=${OUT:-$HERE/results.jsonl}
SCENARIO=${SCENARIO:-churn}
case $SCENARIO in
  churn) SCENARIO_ARGS=(--scenario churn --concurrency 8 --size 64) ;;
  latency) SCENARIO_ARGS=(--scenario latency --size 64) ;;
  *) echo "SCENARIO must be churn or latency" >&2; exit 2 ;;
esac
WORK=$(mktemp -d /tmp/nio-floor.XXXXXX)
declare -A PID=() URL=() MPID=()
cleanup() {
  for r in "${!PID[@]}"; do kill -TERM "${PID[$r]}" 2>/dev/null || true; done
  sleep 0.5
  for r in "${!PID[@]}"; do kill -0 "${PID[$r]}" 2>/dev/null && { echo "killing $r" >&2; kill -KILL "${PID[$r]}" 2>/dev/null || true; }; done
  wait 2>/dev/null || true
  rm -f /tmp/sockettape-bench.lock
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 || true
waitport() { for i in $(seq 1 100); do l=$(grep -m1 -ohE 'listening on 127\.0\.0\.1:[0-9]+' "$1" 2>/dev/null || true); [[ -n $l ]] && { echo "${l##*:}"; return; }; sleep 0.1; done; echo "no port in $1" >&2; exit 1; }

while [ -e /tmp/sockettape-bench.lock ]; do sleep 10; done
(set -o noclobber; echo "nio-floor bench $$" > /tmp/sockettape-bench.lock)

node $E2E/echo-server.js >"$WORK/echo.log" 2>&1 & PID[echo]=$!
EP=$(waitport "$WORK/echo.log")
URL[direct]="ws://127.0.0.1:$EP/"; MPID[direct]=${PID[echo]}
$FLOOR "$EP" raw >"$WORK/raw.log" 2>&1 & PID[floor-raw]=$!
URL[floor-raw]="ws://127.0.0.1:$(waitport "$WORK/raw.log")/"; MPID[floor-raw]=${PID[floor-raw]}
$FLOOR "$EP" http >"$WORK/http.log" 2>&1 & PID[floor-http]=$!
URL[floor-http]="ws://127.0.0.1:$(waitport "$WORK/http.log")/"; MPID[floor-http]=${PID[floor-http]}
$ST proxy --listen 127.0.0.1:0 --upstream "ws://127.0.0.1:$EP" >"$WORK/st.log" 2>&1 & PID[sockettape]=$!
URL[sockettape]="ws://127.0.0.1:$(waitport "$WORK/st.log")/"; MPID[sockettape]=${PID[sockettape]}
NGX=$WORK/nginx; mkdir -p "$NGX"
NP=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
sed -e "s|@PREFIX@|$NGX|g" -e "s|@LISTEN_PORT@|$NP|g" -e "s|@UPSTREAM_PORT@|$EP|g" $E2E/nginx.conf >"$NGX/nginx.conf"
nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log" >"$WORK/nginx.log" 2>&1 & PID[nginx]=$!
sleep 0.5
MPID[nginx]=$(ps -o pid= --ppid "${PID[nginx]}" | head -n1 | tr -d ' ')
URL[nginx]="ws://127.0.0.1:$NP/"
for t in $TARGETS; do echo "$t ${URL[$t]} pid ${MPID[$t]}" >&2; done

ut() { awk '{print $14, $15}' /proc/$1/stat; }
for r in $(seq 1 "$ROUNDS"); do
  for t in $TARGETS; do
    read u0 s0 < <(ut "${MPID[$t]}")
    timeout -k 5 120 node $E2E/load-client.js "${SCENARIO_ARGS[@]}" --url "${URL[$t]}" \
      --pid "${MPID[$t]}" --echo-pid "${PID[echo]}" --warmup 1 --duration "$DURATION" --clk-tck "$(getconf CLK_TCK)" \
      --name "$SCENARIO" --label "$t" --round "$r" | tee -a "$OUT" | node -e '
        let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);
        const rate=j.rtt?`rtt p50/p99 us=${j.rtt.p50_us}/${j.rtt.p99_us}`:`cycles/s=${j.cycles_per_s?.toFixed?.(0)}`;
        console.error(`r${j.round} ${j.label}: ${rate} target_us/op=${j.target_cpu_us_per_op?.toFixed?.(0)} ok=${j.ok} errors=${JSON.stringify(j.errors||{})}`)})'
    read u1 s1 < <(ut "${MPID[$t]}")
    echo "   $t whole-run ticks (incl warmup+drain): user=$((u1-u0)) sys=$((s1-s0)) user_share=$(( 100*(u1-u0)/((u1-u0)+(s1-s0)+1) ))%" >&2
  done
done

if [[ -n ${STRACE:-} ]]; then
  for t in $STRACE; do
    node $E2E/load-client.js "${SCENARIO_ARGS[@]}" --url "${URL[$t]}" --pid "${MPID[$t]}" \
      --warmup 0 --duration 5 --name "$SCENARIO" --label "strace-$t" >"$WORK/strace-client.json" &
    c=$!
    sleep 1
    timeout -s INT 3 strace -c -f -p "${MPID[$t]}" -o "$HERE/strace-$t.txt" || true
    wait $c || true
    node -e 'const j=require(process.argv[1]);console.error(process.argv[2],"client cycles/s",j.cycles_per_s)' "$WORK/strace-client.json" "$t"
  done
fi
if [[ -n ${PERF:-} ]]; then
  for t in $PERF; do
    node $E2E/load-client.js "${SCENARIO_ARGS[@]}" --url "${URL[$t]}" --pid "${MPID[$t]}" \
      --warmup 0 --duration 7 --name "$SCENARIO" --label "perf-$t" >"$WORK/perf-client.json" &
    c=$!
    sleep 1
    read u0 s0 < <(ut "${MPID[$t]}")
    perf record -e cpu-clock -g -p "${MPID[$t]}" -o "$HERE/perf-$t.data" -- sleep 5 2>/dev/null || true
    read u1 s1 < <(ut "${MPID[$t]}")
    wait $c || true
    node -e 'const j=require(process.argv[1]);console.error(process.argv[2],"perf run: client cycles/s",j.cycles_per_s, "target_us/op", j.target_cpu_us_per_op)' "$WORK/perf-client.json" "$t"
    echo "   perf window ticks: user=$((u1-u0)) sys=$((s1-s0))" >&2
  done
fi
