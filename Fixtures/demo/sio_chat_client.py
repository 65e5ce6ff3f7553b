#!/usr/bin/env python3
"""Demo Socket.io client: connects with an auth token (long-polling, then the upgrade to
WebSocket), sends two chat events and waits for their acks and broadcasts, then disconnects.
Usage: sio_chat_client.py http://127.0.0.1:PORT"""
import asyncio
import sys

import socketio


async def main(url: str) -> int:
    client = socketio.AsyncClient(reconnection=False)
    heard: asyncio.Queue = asyncio.Queue()
    client.on("said", lambda data: heard.put_nowait(data))
    await client.connect(url, auth={"token": "s3cret-demo-token"}, wait_timeout=10)
    for _ in range(50):  # the upgrade to WebSocket runs in the background
        if client.transport() == "websocket":
            break
        await asyncio.sleep(0.1)
    for text in ["hello from socket.io", "acks and rooms work"]:
        ack = await client.call("chat", {"text": text}, timeout=10)
        print(">", text, " ack:", ack, " heard:", await asyncio.wait_for(heard.get(), 10))
    print("transport:", client.transport())
    await client.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080")))
