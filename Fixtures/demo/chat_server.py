#!/usr/bin/env python3
"""Demo upstream: a tiny chat room on Python `websockets`.

Text messages are broadcast to everyone in the room as "<n>: text"; binary messages
are echoed to the sender. Prints "listening on 127.0.0.1:PORT" when ready.
Usage: chat_server.py [--port N]
"""
import argparse
import asyncio
import itertools

from websockets.asyncio.server import broadcast, serve

ROOM = set()
IDS = itertools.count(1)


async def handler(ws):
    me = next(IDS)
    ROOM.add(ws)
    try:
        await ws.send(f"welcome, you are user {me}")
        async for msg in ws:
            if isinstance(msg, str):
                broadcast(ROOM, f"{me}: {msg}")
            else:
                await ws.send(msg)
    finally:
        ROOM.discard(ws)


async def main(port: int):
    async with serve(handler, "127.0.0.1", port, ping_interval=None) as server:
        print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    try:
        asyncio.run(main(ap.parse_args().port))
    except KeyboardInterrupt:
        pass
