#!/usr/bin/env python3
"""Demo Socket.io server (python-socketio on aiohttp): a "chat" event answered with an ack and
broadcast to the room. Prints "listening on 127.0.0.1:PORT"."""
import asyncio

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp")
app = web.Application()
sio.attach(app)


@sio.event
async def connect(sid, environ, auth):
    if not auth or not auth.get("token"):
        raise socketio.exceptions.ConnectionRefusedError("a token is required")
    await sio.enter_room(sid, "lobby")


@sio.on("chat")
async def chat(sid, message):
    await sio.emit("said", {"from": sid[:4], "text": message["text"]}, room="lobby")
    return {"ok": True, "length": len(message["text"])}


async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"listening on 127.0.0.1:{site._server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
