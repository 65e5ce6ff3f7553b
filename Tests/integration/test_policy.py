"""Rate limits and validation from --config, enforced by the proxy between real peers:
Python `websockets` clients and echo server, python-socketio server and client."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import socketio
import websockets

from conftest import PEERS, PYTHON, kinds, read_log


def write_config(h, text: str) -> Path:
    path = h.tmp / "sockettape.yaml"
    path.write_text(text)
    return path


def limits_config(action: str, rate: str = "20/s", burst: int = 10) -> str:
    return f"""identity: {{ header: X-User }}
limits:
  - from: client
    messages: {{ rate: {rate}, burst: {burst} }}
    action: {action}
"""


async def send_burst(url: str, user: str, count: int, compression: str | None = None) -> tuple[int, float, int | None]:
    """Sends `count` messages at once, then collects echoes until 1 s passes without one.
    Returns (echoes, seconds from first send to last echo, close code or None)."""
    echoes = 0
    close_code = None
    async with websockets.connect(url, proxy=None, additional_headers={"X-User": user},
                                  compression=compression, max_size=None) as ws:
        start = time.monotonic()
        last = start
        for n in range(count):
            await ws.send(f"{user} message {n}")
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 1.0)
                echoes += 1
                last = time.monotonic()
        except asyncio.TimeoutError:
            pass
        except websockets.ConnectionClosed as closed:
            close_code = closed.rcvd.code if closed.rcvd else None
    return echoes, last - start, close_code


def test_a_flooding_client_is_held_to_its_rate_while_a_calm_one_gets_everything(h):
    echo = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape,
                    extra=["--config", write_config(h, limits_config("drop"))])
    url = f"ws://127.0.0.1:{proxy.port}/"

    async def both():
        calm = asyncio.create_task(calm_client())
        flood = await send_burst(url, "flood", 200)
        return flood, await calm

    async def calm_client() -> int:
        got = 0
        async with websockets.connect(url, proxy=None, additional_headers={"X-User": "calm"}, compression=None) as ws:
            for n in range(8):
                await ws.send(f"calm {n}")
                await asyncio.wait_for(ws.recv(), 5)
                got += 1
                await asyncio.sleep(0.06)
        return got

    (flood_echoes, seconds, _), calm_echoes = asyncio.run(both())
    assert calm_echoes == 8
    # the burst, plus what the rate refilled while the 200 were sent (a few ms), within slack
    assert 10 <= flood_echoes <= 10 + 20 * seconds + 2, (flood_echoes, seconds)
    received = [e for e in read_log(echo.log) if e["type"] == "text" and e["text"].startswith("flood")]
    assert len(received) == flood_echoes  # counted at the upstream server
    assert proxy.stop() == 0
    drops = [p for p in kinds(h.export(tape), "policy") if p["action"] == "drop"]
    assert len(drops) == 200 - flood_echoes
    assert all(p["rule"] == "limits[0]" and p["identity"] == "flood" for p in drops)


def test_connections_of_one_identity_share_one_budget_two_identities_do_not(h):
    echo = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}",
                    extra=["--config", write_config(h, limits_config("drop", rate="1/s", burst=10))])
    url = f"ws://127.0.0.1:{proxy.port}/"

    async def many():
        shared = await asyncio.gather(*[send_burst(url, "alice", 5) for _ in range(10)])
        other = await send_burst(url, "bob", 5)
        return shared, other

    shared, other = asyncio.run(many())
    total = sum(echoes for echoes, _, _ in shared)
    assert 10 <= total <= 13, shared  # ten connections, one budget of 10 (+1/s refill)
    assert other[0] == 5  # bob's budget is his own


def test_close_action_closes_the_client_with_1008(h):
    echo = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape,
                    extra=["--config", write_config(h, limits_config("close", burst=5))])
    _, _, code = asyncio.run(send_burst(f"ws://127.0.0.1:{proxy.port}/", "flood", 50))
    assert code == 1008
    # nothing over the burst reached the server (how much of the burst it handled before the
    # close is the server's business)
    received = [e["text"] for e in read_log(echo.log) if e["type"] == "text"]
    assert received == [f"flood message {n}" for n in range(len(received))] and len(received) <= 5
    assert proxy.stop() == 0
    records = h.export(tape)
    (decision,) = kinds(records, "policy")
    assert decision["action"] == "close" and decision["rule"] == "limits[0]"
    before = records[:records.index(decision)]
    assert [m["text"] for m in kinds(before, "message") if m["from"] == "client"][-1] == "flood message 5"
    (closed,) = kinds(records, "close")
    assert closed["by"] == "proxy" and closed["code"] == 1008


def test_delay_slows_a_client_without_losing_a_message(h):
    echo = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}",
                    extra=["--config", write_config(h, limits_config("delay", rate="50/s", burst=5))])
    echoes, seconds, code = asyncio.run(send_burst(f"ws://127.0.0.1:{proxy.port}/", "slow", 30))
    assert echoes == 30 and code is None
    assert seconds >= (30 - 5) / 50 * 0.9, seconds  # held to the rate
    texts = [e["text"] for e in read_log(echo.log) if e["type"] == "text"]
    assert texts == [f"slow message {n}" for n in range(30)]  # all, in order


def test_dropping_in_a_compressed_stream_keeps_the_server_inflating(h):
    """With permessage-deflate, the proxy makes the client compress each message on its own
    (client_no_context_takeover), so the messages after a dropped one still inflate."""
    echo = h.py_echo(compression=True)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}",
                    extra=["--config", write_config(h, limits_config("drop", rate="1/s", burst=3))])
    echoes, _, code = asyncio.run(send_burst(f"ws://127.0.0.1:{proxy.port}/", "zip", 6, compression="deflate"))
    assert code is None and echoes == 3

    async def later():  # the budget refills: the next message must inflate and echo correctly
        async with websockets.connect(f"ws://127.0.0.1:{proxy.port}/", proxy=None,
                                      additional_headers={"X-User": "zip2"}, compression="deflate") as ws:
            texts = []
            for n in range(3):
                await ws.send("zip message repeated repeated repeated " * 5 + str(n))
                texts.append(await asyncio.wait_for(ws.recv(), 5))
            await ws.send("dropped " * 20)  # over the budget of 3: dropped
            await asyncio.sleep(1.2)  # one token back
            await ws.send("after the drop " * 10)
            texts.append(await asyncio.wait_for(ws.recv(), 5))
            return texts, ws.response.headers.get("Sec-WebSocket-Extensions")

    texts, extensions = asyncio.run(later())
    assert "client_no_context_takeover" in extensions
    assert texts[-1] == "after the drop " * 10
    assert [e["type"] for e in read_log(echo.log) if e["type"] == "close"] != ["error"]


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_events_failing_their_schema_never_reach_the_server(h, transport):
    log = h.tmp / "sio.log"
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", log])
    server.wait_listening()
    config = write_config(h, """validation:
  max-message-bytes: 65536
  events:
    chat:
      schema:
        type: object
        required: [roomId, text]
        properties: { roomId: { type: string }, text: { type: string, maxLength: 20 } }
      action: drop
""")
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape, extra=["--config", config])

    async def talk():
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(f"http://127.0.0.1:{proxy.port}", transports=[transport], wait_timeout=10)
        ok = await client.call("chat", {"roomId": "r1", "text": "hello"}, timeout=5)
        await client.emit("chat", {"roomId": 7, "text": "hello"})
        await client.emit("chat", {"roomId": "r1", "text": "x" * 50})
        await client.emit("chat", {"text": "no room"})
        ok2 = await client.call("chat", {"roomId": "r2", "text": "still here"}, timeout=5)
        await client.disconnect()
        return ok, ok2

    ok, ok2 = asyncio.run(talk())
    assert ok == {"echo": {"roomId": "r1", "text": "hello"}} and ok2["echo"]["text"] == "still here"
    chats = [e["args"][0] for e in read_log(log) if e.get("event") == "chat" and e["dir"] == "in"]
    assert chats == [{"roomId": "r1", "text": "hello"}, {"roomId": "r2", "text": "still here"}]
    assert proxy.stop() == 0
    drops = [p for p in kinds(h.export(tape), "policy") if p["action"] == "drop"]
    assert len(drops) == 3
    details = " | ".join(p["detail"] for p in drops)
    assert "/roomId" in details and "/text" in details, details


def test_origin_allow_list(h):
    echo = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}",
                    extra=["--config", write_config(h, "origins: [\"https://app.example\"]\n")])
    url = f"ws://127.0.0.1:{proxy.port}/"

    async def attempt(origin):
        try:
            async with websockets.connect(url, proxy=None, origin=origin) as ws:
                await ws.send("hi")
                return await asyncio.wait_for(ws.recv(), 5)
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    assert asyncio.run(attempt("https://app.example")) == "hi"
    assert asyncio.run(attempt("https://evil.example")) == 403


def test_a_bad_config_never_starts_a_proxy(h):
    bad = write_config(h, "limits:\n  - from: client\n    messages: { rate: 20 per second }\n    action: drop\n")
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:9", "--config", bad, timeout=20)
    assert cp.returncode == 2
    assert f"{bad}:3:" in cp.stderr_text, cp.stderr_text
    assert "listening on" not in cp.stdout_text


def test_max_concurrent_sessions_per_identity(h):
    echo = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", extra=["--config", write_config(
        h, "identity: { header: X-User }\nconnections: { max-concurrent: 2 }\n")])
    url = f"ws://127.0.0.1:{proxy.port}/"

    async def scenario():
        first = await websockets.connect(url, proxy=None, additional_headers={"X-User": "ann"})
        second = await websockets.connect(url, proxy=None, additional_headers={"X-User": "ann"})
        try:
            await websockets.connect(url, proxy=None, additional_headers={"X-User": "ann"})
            third = "opened"
        except websockets.InvalidStatus as refused:
            third = refused.response.status_code
        other = await websockets.connect(url, proxy=None, additional_headers={"X-User": "ben"})
        await first.close()
        await asyncio.sleep(0.2)  # the proxy sees the session end
        again = await websockets.connect(url, proxy=None, additional_headers={"X-User": "ann"})
        await again.send("back")
        echoed = await asyncio.wait_for(again.recv(), 5)
        for ws in (second, other, again):
            await ws.close()
        return third, echoed

    assert asyncio.run(scenario()) == (429, "back")


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_socketio_auth_token_identity_keys_the_budget(h, transport):
    log = h.tmp / "sio.log"
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", log])
    server.wait_listening()
    config = write_config(h, """identity: socket-io-auth-token
limits:
  - from: client
    event: chat
    messages: { rate: 1/min, burst: 2 }
    action: drop
""")
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", extra=["--config", config])

    async def chat(token: str, count: int) -> None:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(f"http://127.0.0.1:{proxy.port}", transports=[transport],
                             auth={"token": token}, wait_timeout=10)
        for n in range(count):
            await client.emit("chat", f"{token} {n}")
        await asyncio.sleep(0.5)
        await client.disconnect()

    async def scenario():
        await chat("tok-a", 3)
        await chat("tok-a", 2)  # a new connection, the same token: the same budget
        await chat("tok-b", 2)

    asyncio.run(scenario())
    chats = [e["args"][0] for e in read_log(log) if e.get("event") == "chat" and e["dir"] == "in"]
    assert chats == ["tok-a 0", "tok-a 1", "tok-b 0", "tok-b 1"]


def test_dropping_server_messages_of_a_server_with_compression_context_closes_instead(h):
    """The server compresses with context takeover: dropping one of its messages would leave the
    client unable to inflate the next, so the proxy closes the session instead."""
    echo = h.py_echo(compression=True)
    tape = h.tape()
    config = write_config(h, "limits:\n  - from: server\n    messages: { rate: 1/min, burst: 2 }\n    action: drop\n")
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape, extra=["--config", config])
    echoes, _, code = asyncio.run(send_burst(f"ws://127.0.0.1:{proxy.port}/", "zip", 5, compression="deflate"))
    assert echoes == 2 and code == 1001
    assert proxy.stop() == 0
    records = h.export(tape)
    (decision,) = kinds(records, "policy")
    assert decision["action"] == "close" and decision["from"] == "server"
    assert "context takeover" in decision["detail"]


def http_get(url: str) -> tuple[int, str]:
    """GET without a proxy: (status, body), error statuses included."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def scrape(port: int, path: str) -> tuple[int, str]:
    return http_get(f"http://127.0.0.1:{port}{path}")


def metric_values(text: str) -> dict[str, float]:
    """`name{labels} value` lines of the Prometheus text format (comments skipped)."""
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


def test_metrics_count_what_the_proxy_did(h):
    echo = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape,
                    extra=["--config", write_config(h, limits_config("drop", rate="1/min", burst=10)),
                           "--admin", "127.0.0.1:0"])
    admin_line = next(line for line in proxy.lines if line.startswith("admin listening on 127.0.0.1:"))
    admin = int(admin_line.rsplit(":", 1)[1])
    assert scrape(admin, "/healthz") == (200, "ok\n")
    assert scrape(admin, "/nothing")[0] == 404
    url = f"ws://127.0.0.1:{proxy.port}/"

    async def scrape_while_open() -> dict[str, float]:
        async with websockets.connect(url, proxy=None) as ws:
            await ws.send("hello")
            await ws.recv()
            return metric_values(scrape(admin, "/metrics")[1])

    during = asyncio.run(scrape_while_open())
    assert during["sockettape_sessions_open"] == 1
    assert during["sockettape_open_connections"] == 1
    asyncio.run(send_burst(url, "flood", 30))
    asyncio.run(send_burst(url, "calm", 3))
    time.sleep(0.3)  # the sessions' ends reach the proxy
    status, text = scrape(admin, "/metrics")
    assert status == 200
    metrics = metric_values(text)
    assert metrics["sockettape_sessions_open"] == 0
    # Every record reaches the file within the flush interval (default 200 ms).
    time.sleep(0.5)
    settled = metric_values(scrape(admin, "/metrics")[1])
    assert settled["sockettape_tape_unwritten_bytes"] == 0
    assert settled["sockettape_tape_write_lag_seconds"] == 0
    assert settled["sockettape_tape_records_written"] > 0
    assert proxy.stop() == 0
    records = h.export(tape)
    messages = kinds(records, "message")
    for side in ("client", "server"):
        sent = [m for m in messages if m["from"] == side]
        assert metrics[f'sockettape_messages_total{{from="{side}"}}'] == len(sent)
    drops = [p for p in kinds(records, "policy") if p["action"] == "drop"]
    assert metrics['sockettape_policy_decisions_total{rule="limits[0]",action="drop"}'] == len(drops) == 30 - 10
    assert metrics['sockettape_sessions_total{transport="websocket"}'] == 3
    assert metrics["sockettape_open_connections"] == 0
