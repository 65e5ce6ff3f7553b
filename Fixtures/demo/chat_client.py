#!/usr/bin/env python3
"""Demo client: a few text messages, a binary one, a ping, a fragmented message and
a clean close with a reason. permessage-deflate is on (websockets' default).
Usage: chat_client.py ws://127.0.0.1:PORT/room
"""
import sys

from websockets.sync.client import connect


def main(url: str) -> int:
    with connect(url, proxy=None, ping_interval=None, open_timeout=10, close_timeout=10) as ws:
        print("<", ws.recv(timeout=10))
        for text in ["hello everyone", "how is the weather?", "bye for now"]:
            ws.send(text)
            print(">", text)
            print("<", ws.recv(timeout=10))
        ws.send(b"\x00\x01\x02\xfftape")
        print("> <binary 8 bytes>")
        print("<", ws.recv(timeout=10))
        if not ws.ping(b"demo-ping").wait(10):
            print("no pong", file=sys.stderr)
            return 1
        print("> ping, < pong")
        ws.send(["this message ", "was sent ", "in three frames"])
        print("> <fragmented text>")
        print("<", ws.recv(timeout=10))
        ws.close(1000, "demo finished")
    print("closed:", ws.close_code, ws.close_reason)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "ws://127.0.0.1:8080/room"))
