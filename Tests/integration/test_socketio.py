"""Socket.IO through the proxy: Engine.IO long-polling, then the upgrade to
WebSocket, events and acks both ways; the tape holds both transports."""
from __future__ import annotations

import asyncio

import pytest
import socketio

from conftest import PEERS, PYTHON, kinds


async def chat_session(url: str, transports: list[str]) -> dict:
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    client.on("chat-reply", lambda data: replies.put_nowait(data))
    await client.connect(url, transports=transports, wait_timeout=15)
    try:
        if transports == ["polling", "websocket"]:
            # the upgrade runs in the background: wait (bounded) until it is done
            for _ in range(150):
                if client.transport() == "websocket":
                    break
                await asyncio.sleep(0.1)
        ack = await client.call("chat", "hello sio", timeout=15)
        reply = await asyncio.wait_for(replies.get(), 15)
        ack2 = await client.call("chat", {"n": 2, "tags": ["a", "b"]}, timeout=15)
        reply2 = await asyncio.wait_for(replies.get(), 15)
        transport = client.transport()
    finally:
        await client.disconnect()
    return {"ack": ack, "reply": reply, "ack2": ack2, "reply2": reply2, "transport": transport}


EXPECTED = {"ack": {"echo": "hello sio"}, "reply": "got: hello sio",
            "ack2": {"echo": {"n": 2, "tags": ["a", "b"]}}, "reply2": "got: {'n': 2, 'tags': ['a', 'b']}"}


@pytest.mark.parametrize("transports", [["polling", "websocket"], ["websocket"], ["polling"]],
                         ids=["polling-then-upgrade", "websocket-only", "polling-only"])
def test_socketio_through_proxy(h, transports):
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py"])
    server.wait_listening()
    direct = asyncio.run(chat_session(f"http://127.0.0.1:{server.port}", transports))
    assert {k: direct[k] for k in EXPECTED} == EXPECTED
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape)
    via = asyncio.run(chat_session(f"http://127.0.0.1:{proxy.port}", transports))
    assert via == direct
    assert proxy.stop() == 0
    records = h.export(tape)
    http = kinds(records, "http")
    opens = kinds(records, "open")
    if "polling" in transports:
        assert http, "no http records for the long-polling requests"
        assert all(r["request"]["target"].startswith("/socket.io/") for r in http)
    ws_opens = [o for o in opens if o.get("transport") == "websocket"]
    if transports[-1] == "websocket":
        assert len(ws_opens) == 1 and ws_opens[0]["request"]["target"].startswith("/socket.io/")
        texts = [m["text"] for m in kinds(records, "message") if m["opcode"] == "text"]
        assert "3probe" in texts or transports == ["websocket"], texts  # the upgrade's probe
        if transports == ["websocket"]:
            # events cross the WebSocket as Engine.IO "4" + Socket.IO "2" packets
            assert any(t.startswith("421") and '"chat"' in t and "hello sio" in t for t in texts), texts
    else:
        assert ws_opens == []
