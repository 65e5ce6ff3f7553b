#!/usr/bin/env python3
"""Two python-socketio clients, alice and bob, holding a short chat through URL, for recording
and replay tests: both join room "r1"; alice shouts to the room (both get "room-msg" naming
alice's sid); alice chats (ack {"echo": …} and a "chat-reply"); bob sends a binary event (ack and
"bin-back" with the bytes); bob asks (the server asks bob a "question", bob's ack answers it);
alice stamps (an ack with a timestamp and a random nonce); then both disconnect.

Usage: sio_chat_session.py URL [websocket|polling|upgrade]
  websocket: WebSocket only; polling: long-polling only; upgrade: polling, then WebSocket.
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


async def main(url: str, mode: str) -> None:
    transports = {"websocket": ["websocket"], "polling": ["polling"], "upgrade": ["polling", "websocket"]}[mode]
    alice = await client(url, transports, mode == "upgrade")
    bob = await client(url, transports, mode == "upgrade")
    acks = {}
    acks["alice join"] = await alice.call("join", "r1", timeout=5)
    acks["bob join"] = await bob.call("join", "r1", timeout=5)
    acks["shout"] = await alice.call("shout", {"room": "r1", "text": "hi all"}, timeout=5)
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
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "websocket"))
