#!/usr/bin/env bash
# Regenerates scripts/hot-functions.txt: the functions the proxy runs, hottest first, which
# scripts/build-release.sh hands to the linker (--symbol-ordering-file) so that they sit together
# at the start of the binary's code (docs/design-notes.md, "Release builds").
#
# Runs a release build of the proxy, recording, under valgrind's callgrind while the end-to-end
# benchmark's load client (Node `ws`) drives every scenario of Benchmarks/e2e at a small scale
# against its echo server; then lists the functions of the sockettape binary that ran, by the
# instructions they executed. Needs valgrind and what Benchmarks/e2e needs (node, node-ws).
# Run it again when the proxy's code has changed much; a stale list is harmless (the linker
# skips names it does not find), it only packs the code less well.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$ROOT/Benchmarks/e2e
OUT=${OUT:-$ROOT/scripts/hot-functions.txt}
NODE=${NODE:-node}
for tool in valgrind callgrind_annotate "$NODE" nm strip; do
  command -v "$tool" >/dev/null || { echo "profile-hot-functions: $tool not found" >&2; exit 1; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

wait_for() { # file pattern pid
  for _ in $(seq 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

BIN=$("$ROOT/scripts/build-release.sh")
# valgrind 3.19 cannot read Swift's DWARF 5; the symbol table is all callgrind needs.
strip --strip-debug -o "$WORK/sockettape" "$BIN"

"$NODE" "$E2E/echo-server.js" >"$WORK/echo.log" 2>&1 &
PIDS+=($!)
wait_for "$WORK/echo.log" listening "${PIDS[0]}" || { echo "profile-hot-functions: echo server did not start" >&2; exit 1; }
ECHO_PORT=$(grep -o '[0-9]*$' "$WORK/echo.log" | head -n1)

valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/callgrind.out" \
  "$WORK/sockettape" proxy --listen 127.0.0.1:0 --upstream "ws://127.0.0.1:$ECHO_PORT" \
  --record "$WORK/profile.tape" >"$WORK/proxy.log" 2>&1 &
PROXY=$!
PIDS+=("$PROXY")
wait_for "$WORK/proxy.log" 'listening on' "$PROXY" || { echo "profile-hot-functions: proxy did not start" >&2; exit 1; }
URL="ws://$(grep -o 'listening on [0-9.:]*' "$WORK/proxy.log" | head -n1 | cut -d' ' -f3)/"

load() { "$NODE" "$E2E/load-client.js" --url "$URL" --warmup 0 --duration 2 "$@" >/dev/null; }
load --scenario idle --pid "$PROXY" --connections 200 --hold 1
load --scenario throughput --connections 5 --inflight 5 --size 64
load --scenario throughput --connections 2 --inflight 2 --size 16384
load --scenario throughput --connections 5 --inflight 5 --size 64 --socketio
load --scenario throughput --connections 2 --inflight 2 --size 16384 --socketio
load --scenario latency
load --scenario churn --concurrency 4
kill -INT "$PROXY"
wait "$PROXY" || true

# Functions of the binary by self cost, recursion marks ('2) dropped, kept only if the binary
# defines them (the linker orders by symbol name). Written aside first: a failed or empty
# profile must not replace the list.
nm --defined-only "$WORK/sockettape" | awk '$2 ~ /^[tTwW]$/ {print $3}' | sort -u >"$WORK/defined.txt"
callgrind_annotate --threshold=100 "$WORK/callgrind.out" |
  awk -v bin="[$WORK/sockettape]" '$NF == bin && $1 ~ /^[0-9,]+$/ {
      name = $(NF - 1); sub(/^.*:/, "", name); sub(/'"'"'[0-9]+$/, "", name); print name }' |
  awk 'NR == FNR { defined[$0] = 1; next } defined[$0] && !seen[$0]++' "$WORK/defined.txt" - >"$WORK/hot.txt"
count=$(wc -l <"$WORK/hot.txt")
if ((count < 1000)); then
  echo "profile-hot-functions: only $count functions found, $OUT left as it was" >&2
  exit 1
fi
mv "$WORK/hot.txt" "$OUT"
echo "profile-hot-functions: $count functions in $OUT" >&2
