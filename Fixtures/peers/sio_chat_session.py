#!/usr/bin/env python3
"""Two python-socketio clients, alice and bob, holding a short chat through URL, for recording
and replay tests: both join room "r1"; alice shouts to the room (both get "room-msg" naming
alice's sid); alice chats (ack {"echo": …} and a "chat-reply"); bob sends a binary event (ack and
"bin-back" with the bytes); bob asks (the server asks bob a "question", bob's ack answers it);
alice stamps (an ack with a timestamp and a random nonce); then both disconnect.

Usage: sio_chat_session.py URL [websocket|polling|upgrade] [--created-room]
  websocket: WebSocket only; polling: long-polling only; upgrade: polling, then WebSocket.
  --created-room: the room is not "r1" but one alice has the server create ("create-room"), whose
  random name bob then joins too: a replay must capture it.
Prints one JSON line with every ack it got, for the test to compare."""
import asyncio
import json
import sys

import socketio


async def client(url: str, transports: list[str], upgrade: bool) -> socketio.AsyncClient:
    c = socketio.AsyncClient(reconnection=False)
    c.on("question", lambda q: f"answer to {q}")
    await c.connect(url, transports=transports, wait_timeout=10)
    if upgrade:
        for _ in range(50):
            if c.transport() == "websocket":
                break
            await asyncio.sleep(0.1)
    return c


async def main(url: str, mode: str, created_room: bool) -> None:
    transports = {"websocket": ["websocket"], "polling": ["polling"], "upgrade": ["polling", "websocket"]}[mode]
    alice = await client(url, transports, mode == "upgrade")
    bob = await client(url, transports, mode == "upgrade")
    acks = {}
    room = (await alice.call("create-room", timeout=5))["room"] if created_room else "r1"
    acks["alice join"] = await alice.call("join", room, timeout=5)
    acks["bob join"] = await bob.call("join", room, timeout=5)
    acks["shout"] = await alice.call("shout", {"room": room, "text": "hi all"}, timeout=5)
    acks["chat"] = await alice.call("chat", "hello", timeout=5)
    acks["bin"] = list(await bob.call("bin", b"\x00\x01\x02", timeout=5))
    acks["ask"] = await bob.call("ask", "how?", timeout=5)
    stamp = await alice.call("stamp", "now", timeout=5)
    acks["stamp"] = stamp["text"]
    await asyncio.sleep(0.3)  # the last broadcasts arrive before the sessions end
    await alice.disconnect()
    await bob.disconnect()
    print(json.dumps(acks), flush=True)


if __name__ == "__main__":
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    asyncio.run(main(positional[0], positional[1] if len(positional) > 1 else "websocket", "--created-room" in sys.argv))
