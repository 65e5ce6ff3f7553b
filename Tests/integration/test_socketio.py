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
    # One Socket.io session, whatever the transports: one tape session from handshake to close.
    assert {r["session"] for r in records} == {records[0]["session"]}
    (opened,) = kinds(records, "open")
    assert opened["engineio"] == 4
    assert opened["transport"] == transports[0]
    assert opened["request"]["target"].startswith("/socket.io/")
    upgrades = kinds(records, "upgrade")
    assert len(upgrades) == (1 if transports == ["polling", "websocket"] else 0)
    messages = kinds(records, "message")
    texts = [m["text"] for m in messages if m["opcode"] == "text"]
    # the handshake's open packet, first on the tape after the open record
    assert texts[0].startswith('0{"sid":'), texts
    # events and acks as Engine.IO "4" + Socket.IO "2"/"3" packets, in order, on either transport
    events = [t for t in texts if t.startswith(("42", "43"))]
    assert events == [
        '421["chat","hello sio"]', '42["chat-reply","got: hello sio"]', '431[{"echo":"hello sio"}]',
        '422["chat",{"n":2,"tags":["a","b"]}]', '42["chat-reply","got: {\'n\': 2, \'tags\': [\'a\', \'b\']}"]',
        '432[{"echo":{"n":2,"tags":["a","b"]}}]',
    ], events
    polling = [m for m in messages if m.get("transport") == "polling"]
    if transports == ["polling"]:
        assert kinds(records, "http"), "no http records for the long-polling requests"
        assert {m["text"][:2] for m in polling} >= {"0{", "40", "42", "43"}
    elif transports == ["websocket"]:
        assert polling == [] and kinds(records, "http") == []
    else:
        assert "3probe" in texts and upgrades[0]["request"]["target"].count("sid=") == 1
    # one close, after every message (a long-poll still pending at the close may end after it)
    (closed,) = kinds(records, "close")
    assert records.index(closed) > records.index(messages[-1])
    assert all(r["kind"] == "http" for r in records[records.index(closed) + 1:])


def test_malformed_packets_are_forwarded_recorded_raw_and_marked(h):
    """A packet the decoder rejects still reaches the server byte for byte, stays on the tape as
    it was sent, and the export says why it did not decode; the proxy carries on."""
    import websockets

    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py"])
    server.wait_listening()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape)
    malformed = ['42["chat"', "4x", '49["nine"]', "\u2603"]

    async def talk() -> list[str]:
        url = f"ws://127.0.0.1:{proxy.port}/socket.io/?EIO=4&transport=websocket"
        seen = []
        async with websockets.connect(url, proxy=None) as ws:
            seen.append(await asyncio.wait_for(ws.recv(), 10))  # the open packet
            await ws.send("40")
            seen.append(await asyncio.wait_for(ws.recv(), 10))  # CONNECT answer
            for packet in malformed:
                await ws.send(packet)
            try:  # the server may drop a session that sent garbage; either answer is fine
                await ws.send('421["chat","after the garbage"]')
                while True:
                    seen.append(await asyncio.wait_for(ws.recv(), 5))
                    if seen[-1].startswith("431"):
                        break
            except (websockets.ConnectionClosed, asyncio.TimeoutError):
                pass
        return seen

    seen = asyncio.run(talk())
    assert seen[0].startswith('0{"sid":') and seen[1].startswith("40")
    assert proxy.stop() == 0
    records = h.export(tape)
    sent = [m for m in kinds(records, "message") if m["from"] == "client" and m["opcode"] == "text"]
    by_text = {m["text"]: m for m in sent}
    for packet in malformed:
        message = by_text[packet]  # on the tape exactly as sent
        assert "eio_error" in message or "sio_error" in message, message
    assert "sio_error" not in by_text["40"] and by_text["40"]["sio"]["type"] == "CONNECT"
    assert kinds(records, "close"), "the session's end is on the tape"
