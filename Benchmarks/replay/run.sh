#!/usr/bin/env bash
# Replay load benchmark: `sockettape replay --clients N --pacing recorded` against a fast Node `ws`
# echo server (Benchmarks/e2e/echo-server.js), then a Python `websockets` asyncio client doing the
# same work (py-client.py) against the same server, in the same run; prints both and their ratio.
#
#   bash Benchmarks/replay/run.sh
#
# The tape (make-tape.py, imported with `sockettape import --format jsonl`) is one session sending
# MESSAGES text messages of SIZE bytes every INTERVAL seconds, each echoed; CLIENTS copies of it at
# 1/INTERVAL messages/s each give CLIENTS/INTERVAL messages/s (5,000 × 20 = 100k by default).
# The echo server, the replayer and Python share the machine's cores.
#
# Environment (all optional):
#   SOCKETTAPE_BIN   use this binary instead of building it as the README installs it (static Swift runtime)
#   CLIENTS, RAMP_UP, DURATION   default 5000, 10 s, 30 s (steady state: after the ramp-up, to the end)
#   MESSAGES, INTERVAL, SIZE     default 600, 0.05 s, 64 B
#   PYTHON           default .venv/bin/python (needs websockets; scripts/setup-test-deps.sh makes it)
#   REPLAY_ARGS      more `sockettape replay` flags (such as --event-loops 1)
#   SKIP_PYTHON=1    measure sockettape only
#   ECHO_CPUS, REPLAY_CPUS  pin the echo server, and the clients, to these CPUs (`taskset -c` lists):
#                    each side on a core of its own shows what each can do apart
#   KEEP=1           keep the temp dir (reports, logs)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CLIENTS=${CLIENTS:-5000}
RAMP_UP=${RAMP_UP:-10}
DURATION=${DURATION:-30}
MESSAGES=${MESSAGES:-600}
INTERVAL=${INTERVAL:-0.05}
SIZE=${SIZE:-64}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NODE=${NODE:-node}
LOCK=/tmp/sockettape-bench.lock

# Command prefixes that pin a side to its CPUs; empty: wherever the scheduler likes.
ECHO_PIN=() REPLAY_PIN=()
[[ -n ${ECHO_CPUS:-} ]] && ECHO_PIN=(taskset -c "$ECHO_CPUS")
[[ -n ${REPLAY_CPUS:-} ]] && REPLAY_PIN=(taskset -c "$REPLAY_CPUS")

log() { printf '[replay-bench] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Someone else's measurement first; then ours, undisturbed.
while [[ -e $LOCK ]]; do log "waiting for $LOCK ($(cat "$LOCK" 2>/dev/null || true))"; sleep 10; done
echo "replay benchmark, pid $$" >"$LOCK"

WORK=$(mktemp -d /tmp/sockettape-replay-bench.XXXXXX)
ECHO_PID=""
cleanup() {
  if [[ -n $ECHO_PID ]] && kill -0 "$ECHO_PID" 2>/dev/null; then kill -TERM "$ECHO_PID"; wait "$ECHO_PID" 2>/dev/null || true; fi
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  rm -f "$LOCK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && hard=65536
ulimit -n "$hard"
(( $(ulimit -n) >= CLIENTS + 256 )) || log "warning: ulimit -n is $(ulimit -n), want $((CLIENTS + 256))"

if [[ -z ${SOCKETTAPE_BIN:-} ]]; then
  log "building sockettape (release, static Swift runtime)…"
  SOCKETTAPE_BIN=$("$ROOT/scripts/build-release.sh") || die "swift build failed"
fi

python3 "$HERE/make-tape.py" --messages "$MESSAGES" --interval "$INTERVAL" --size "$SIZE" >"$WORK/bench.jsonl"
"$SOCKETTAPE_BIN" import "$WORK/bench.jsonl" --format jsonl -o "$WORK/bench.tape" >&2

"${ECHO_PIN[@]}" "$NODE" "$ROOT/Benchmarks/e2e/echo-server.js" >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$WORK/echo.log" && break; sleep 0.1; done
PORT=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$WORK/echo.log" | head -n1 | sed 's/.*://') || die "echo server did not start"
log "echo server pid $ECHO_PID on 127.0.0.1:$PORT"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # name command… ; writes $WORK/NAME.time (elapsed user sys maxrss_kib) and NAME.echo_cpu_s
  local name=$1; shift
  local before after
  before=$(cpu_ticks "$ECHO_PID")
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || log "$name exited with $?"
  after=$(cpu_ticks "$ECHO_PID")
  echo "scale=2; ($after - $before) / $(getconf CLK_TCK)" | bc >"$WORK/$name.echo_cpu_s"
  sleep 3 # let TIME_WAIT and the server settle
}

log "sockettape replay: $CLIENTS clients, ramp-up $RAMP_UP s, duration $DURATION s…"
measure sockettape "${REPLAY_PIN[@]}" "$SOCKETTAPE_BIN" replay "$WORK/bench.tape" --target "ws://127.0.0.1:$PORT" --clients "$CLIENTS" \
  --pacing recorded --ramp-up "$RAMP_UP" --duration "$DURATION" --report "$WORK/sockettape.json" --progress ${REPLAY_ARGS:-}
if [[ ${SKIP_PYTHON:-0} != 1 ]]; then
  log "python websockets client: the same…"
  measure python "${REPLAY_PIN[@]}" "$PYTHON" "$HERE/py-client.py" --url "ws://127.0.0.1:$PORT" --jsonl "$WORK/bench.jsonl" --clients "$CLIENTS" \
    --ramp-up "$RAMP_UP" --duration "$DURATION"
fi

python3 "$HERE/summary.py" "$WORK" "$RAMP_UP" "$DURATION" "$(nproc)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
