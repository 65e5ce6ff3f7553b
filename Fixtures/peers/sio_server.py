#!/usr/bin/env python3
"""Socket.IO server (python-socketio on aiohttp) for the integration tests.

Short ping interval and timeout (1 s, 3 s): a polling client's disconnect
waits for its pending GET, up to interval + timeout.

Events: "chat" -> acks with {"echo": data} and emits "chat-reply" "got: <data>" to the
sender. Prints "listening on 127.0.0.1:PORT".
"""
import asyncio

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=1, ping_timeout=3)
app = web.Application()
sio.attach(app)


@sio.on("chat")
async def chat(sid, data):
    await sio.emit("chat-reply", f"got: {data}", to=sid)
    return {"echo": data}


async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)
    await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
