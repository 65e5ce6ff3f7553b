"""Policy on Socket.io sessions beyond plain drops: drop notices (both transports), and the
close and delay actions on long-polling, where the proxy checks each POST before the server
sees it. Real python-socketio peers (Fixtures/peers/sio_server.py)."""
from __future__ import annotations

import asyncio
import time

import pytest
import socketio

from conftest import PEERS, PYTHON, kinds, read_log
from test_policy import http_get, write_config


def chat_limit(action: str, rate: str, burst: int) -> str:
    return f"""limits:
  - from: client
    event: chat
    messages: {{ rate: {rate}, burst: {burst} }}
    action: {action}
drop-notice-event: "sockettape:dropped"
"""


def start(h, config: str):
    log = h.tmp / "sio.log"
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", log])
    server.wait_listening()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape, extra=["--config", write_config(h, config)])
    return log, tape, proxy, server


def chats_received(log) -> list:
    return [e["args"][0] for e in read_log(log) if e.get("event") == "chat" and e["dir"] == "in"]


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_dropped_event_gets_a_notice_and_no_ack(h, transport):
    log, tape, proxy, _ = start(h, chat_limit("drop", "1/min", 2))
    notices = []

    async def talk():
        client = socketio.AsyncClient(reconnection=False)
        client.on("sockettape:dropped", lambda data: notices.append(data))
        await client.connect(f"http://127.0.0.1:{proxy.port}", transports=[transport], wait_timeout=10)
        acks = [await client.call("chat", f"m{n}", timeout=5) for n in range(2)]
        with pytest.raises(socketio.exceptions.TimeoutError):
            await client.call("chat", "m2", timeout=1)  # dropped: no ack ever comes
        await client.emit("chat", "m3")
        for _ in range(50):
            if len(notices) == 2:
                break
            await asyncio.sleep(0.1)
        await client.disconnect()
        return acks

    acks = asyncio.run(talk())
    assert acks == [{"echo": "m0"}, {"echo": "m1"}]
    assert chats_received(log) == ["m0", "m1"]
    assert [n["event"] for n in notices] == ["chat", "chat"]
    assert all(n["rule"] == "limits[0]" and n["detail"] == "messages: 1/min exceeded" for n in notices)
    assert proxy.stop() == 0
    records = h.export(tape)
    assert [p["action"] for p in kinds(records, "policy") if p["rule"] == "limits[0]"] == ["drop", "drop"]
    from_proxy = [m for m in kinds(records, "message") if m["from"] == "proxy"]
    assert [m["sio"]["event"] for m in from_proxy] == ["sockettape:dropped"] * 2
    assert from_proxy[0]["sio"]["args"] == [{"event": "chat", "rule": "limits[0]", "detail": "messages: 1/min exceeded"}]


def test_close_on_polling_answers_429_and_ends_the_session_at_the_server(h):
    log, tape, proxy, server = start(h, chat_limit("close", "1/min", 1))

    async def talk() -> str:
        client = socketio.AsyncClient(reconnection=False)
        gone = asyncio.Event()
        client.on("disconnect", lambda *args: gone.set())
        await client.connect(f"http://127.0.0.1:{proxy.port}", transports=["polling"], wait_timeout=10)
        sid = client.eio.sid
        await client.call("chat", "allowed", timeout=5)
        await client.emit("chat", "over the limit")
        await asyncio.wait_for(gone.wait(), 10)
        return sid

    sid = asyncio.run(talk())
    assert chats_received(log) == ["allowed"]
    # The proxy sent the server a close packet in the client's name: the server forgot the sid
    # at once (asked directly, not through the proxy), instead of after the ping timeout.
    status, _ = http_get(f"http://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=polling&sid={sid}")
    assert status == 400
    assert proxy.stop() == 0
    records = h.export(tape)
    (decision,) = kinds(records, "policy")
    assert decision["action"] == "close" and decision["rule"] == "limits[0]"
    statuses = [r["response"]["status"] for r in kinds(records, "http") if r["request"]["method"] == "POST"]
    assert 429 in statuses
    (close,) = kinds(records, "close")
    assert close["by"] == "proxy" and close["reason"] == "policy: limits[0]"


def test_delay_on_polling_slows_the_client_without_losing_a_message(h):
    log, tape, proxy, _ = start(h, chat_limit("delay", "10/s", 2))
    sent = [f"m{n}" for n in range(12)]

    async def talk():
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(f"http://127.0.0.1:{proxy.port}", transports=["polling"], wait_timeout=10)
        started = time.monotonic()
        for text in sent:
            await client.emit("chat", text)
        while len(chats_received(log)) < len(sent) and time.monotonic() - started < 10:
            await asyncio.sleep(0.05)
        elapsed = time.monotonic() - started
        await client.disconnect()
        return elapsed

    elapsed = asyncio.run(talk())
    assert chats_received(log) == sent
    # 2 at once, then 10 a second: the last of 12 cannot arrive before 1 s has passed.
    assert elapsed >= 0.9
    assert proxy.stop() == 0
    delays = [p for p in kinds(h.export(tape), "policy") if p["action"] == "delay"]
    assert delays and all(p["rule"] == "limits[0]" for p in delays)


@pytest.mark.parametrize("transports", [["polling"], ["polling", "websocket"], ["websocket"]])
def test_a_socketio_session_counts_once_against_max_concurrent(h, transports):
    """One session per identity: a second is refused at its handshake (429), whichever transport
    carries the first; an upgrade from polling to WebSocket is the same session, not a second."""
    log, _, proxy, _ = start(h, "connections: { max-concurrent: 1 }\n")
    url = f"http://127.0.0.1:{proxy.port}"

    async def scenario():
        first = socketio.AsyncClient(reconnection=False)
        await first.connect(url, transports=transports, wait_timeout=10)
        if "websocket" in transports:
            for _ in range(50):  # the upgrade, when there is one, has happened
                if first.transport() == "websocket":
                    break
                await asyncio.sleep(0.1)
        assert await first.call("chat", "first", timeout=5) == {"echo": "first"}
        second = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await second.connect(url, transports=transports, wait_timeout=5)
        await first.disconnect()
        third = socketio.AsyncClient(reconnection=False)
        for _ in range(50):  # the proxy sees the first session end (a polling one at its close packet)
            try:
                await third.connect(url, transports=transports, wait_timeout=5)
                break
            except socketio.exceptions.ConnectionError:
                await asyncio.sleep(0.1)
        reply = await third.call("chat", "third", timeout=5)
        await third.disconnect()
        return first.transport(), reply

    transport, reply = asyncio.run(scenario())
    assert transport == transports[-1]
    assert reply == {"echo": "third"}
    assert chats_received(log) == ["first", "third"]
