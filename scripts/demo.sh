#!/usr/bin/env bash
# Records a short WebSocket chat and a Socket.io chat through the proxy, shows the tapes, and
# replays the Socket.io chat against its server as a regression test.
#   SOCKETTAPE_BIN=path/to/sockettape PYTHON=.venv/bin/python scripts/demo.sh
# Every process started here is stopped by PID on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SOCKETTAPE_BIN:-"$(swift build --show-bin-path)/sockettape"}
PY=${PYTHON:-.venv/bin/python}
OUT=out
mkdir -p "$OUT"

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

# record SERVER_SCRIPT TAPE UPSTREAM_SCHEME CLIENT_SCRIPT CLIENT_URL_SUFFIX CLIENT_SCHEME:
# starts the server and a recording proxy in front of it, runs the client through the proxy,
# then stops the proxy with SIGINT (it seals the tape and exits 0). The server keeps running;
# its port is left in SERVER_PORT.
record() {
    local server=$1 tape=$2 client=$3 suffix=$4 scheme=$5 name
    name=$(basename "$server" .py)
    rm -f "$tape"
    "$PY" "$server" >"$OUT/$name.log" 2>&1 &
    PIDS+=($!)
    local server_port proxy_pid proxy_port rc=0
    server_port=$(wait_port "$OUT/$name.log" "${PIDS[-1]}")
    SERVER_PORT=$server_port
    echo "$name on 127.0.0.1:$server_port"
    "$BIN" proxy --listen 127.0.0.1:0 --upstream "ws://127.0.0.1:$server_port" \
        --record "$tape" >"$OUT/$name-proxy.log" 2>&1 &
    proxy_pid=$!
    PIDS+=("$proxy_pid")
    proxy_port=$(wait_port "$OUT/$name-proxy.log" "$proxy_pid")
    echo "sockettape proxy on 127.0.0.1:$proxy_port, recording to $tape"
    echo
    "$PY" "$client" "$scheme://127.0.0.1:$proxy_port$suffix"
    kill -INT "$proxy_pid"
    for _ in $(seq 150); do kill -0 "$proxy_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$proxy_pid" 2>/dev/null; then
        echo "proxy did not exit within 15 s of SIGINT" >&2
        exit 1
    fi
    wait "$proxy_pid" || rc=$?
    [ "$rc" -eq 0 ] || { echo "proxy exited with $rc" >&2; cat "$OUT/$name-proxy.log" >&2; exit 1; }
}

echo "== WebSocket: a chat client through the recording proxy"
record Fixtures/demo/chat_server.py "$OUT/demo.tape" Fixtures/demo/chat_client.py /room ws
echo
echo "\$ sockettape inspect $OUT/demo.tape"
"$BIN" inspect "$OUT/demo.tape"
echo
echo "\$ sockettape export $OUT/demo.tape --format jsonl | head -n 12"
"$BIN" export "$OUT/demo.tape" --format jsonl >"$OUT/demo.jsonl"
head -n 12 "$OUT/demo.jsonl" | cut -c1-240

echo
echo "== Socket.io: long-polling, the upgrade, events and acks, as one session"
record Fixtures/demo/sio_chat_server.py "$OUT/demo-sio.tape" Fixtures/demo/sio_chat_client.py "" http
echo
echo "\$ sockettape inspect $OUT/demo-sio.tape messages"
"$BIN" inspect "$OUT/demo-sio.tape" messages | cut -c1-160
echo
echo "== Replay: the Socket.io chat again, straight to its server, compared with the tape"
echo "(the recorded auth token is redacted on the tape, so the replay brings its own; the broadcast"
echo " names its sender by a piece of its new sid, which --learn-noise finds differing between runs)"
echo "\$ sockettape replay $OUT/demo-sio.tape --target http://127.0.0.1:$SERVER_PORT --auth '{\"token\":\"s3cret-demo-token\"}' --learn-noise"
"$BIN" replay "$OUT/demo-sio.tape" --target "http://127.0.0.1:$SERVER_PORT" \
    --auth '{"token":"s3cret-demo-token"}' --learn-noise
