#!/usr/bin/env bash
# Records a short chat session through the proxy and shows the tape.
#   SOCKETTAPE_BIN=path/to/sockettape PYTHON=.venv/bin/python scripts/demo.sh
# Every process started here is stopped by PID on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SOCKETTAPE_BIN:-"$(swift build --show-bin-path)/sockettape"}
PY=${PYTHON:-.venv/bin/python}
OUT=out
mkdir -p "$OUT"
rm -f "$OUT/demo.tape"

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# wait_port LOGFILE PID -> prints the port from "listening on 127.0.0.1:PORT"
wait_port() {
    local log=$1 pid=$2
    for _ in $(seq 300); do
        if line=$(grep -m1 -E '^listening on 127\.0\.0\.1:[0-9]+$' "$log" 2>/dev/null); then
            echo "${line##*:}"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "process $pid exited:" >&2; cat "$log" >&2; return 1; }
        sleep 0.1
    done
    echo "timed out waiting for $log" >&2
    return 1
}

"$PY" Fixtures/demo/chat_server.py >"$OUT/demo-server.log" 2>&1 &
PIDS+=($!)
SERVER_PORT=$(wait_port "$OUT/demo-server.log" "${PIDS[-1]}")
echo "chat server on 127.0.0.1:$SERVER_PORT"

"$BIN" proxy --listen 127.0.0.1:0 --upstream "ws://127.0.0.1:$SERVER_PORT" \
    --record "$OUT/demo.tape" >"$OUT/demo-proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
PROXY_PORT=$(wait_port "$OUT/demo-proxy.log" "$PROXY_PID")
echo "sockettape proxy on 127.0.0.1:$PROXY_PORT, recording to $OUT/demo.tape"
echo

"$PY" Fixtures/demo/chat_client.py "ws://127.0.0.1:$PROXY_PORT/room"

# SIGINT: the proxy seals the tape and exits 0
kill -INT "$PROXY_PID"
rc=0
for _ in $(seq 150); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PROXY_PID" 2>/dev/null; then
    echo "proxy did not exit within 15 s of SIGINT" >&2
    exit 1
fi
wait "$PROXY_PID" || rc=$?
[ "$rc" -eq 0 ] || { echo "proxy exited with $rc" >&2; cat "$OUT/demo-proxy.log" >&2; exit 1; }

echo
echo "\$ sockettape inspect $OUT/demo.tape"
"$BIN" inspect "$OUT/demo.tape"
echo
echo "\$ sockettape export $OUT/demo.tape --format jsonl | head -n 12"
"$BIN" export "$OUT/demo.tape" --format jsonl >"$OUT/demo.jsonl"
head -n 12 "$OUT/demo.jsonl" | cut -c1-240
