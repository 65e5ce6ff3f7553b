#!/usr/bin/env python3
"""Writes the JSON Lines of the replay benchmark's tape: one plain WebSocket session that sends
--messages text messages of --size bytes, one every --interval seconds, each echoed by the server.
`sockettape import --format jsonl` turns it into a tape; py-client.py reads the same file."""
import argparse
import json

ap = argparse.ArgumentParser()
ap.add_argument("--messages", type=int, default=600)
ap.add_argument("--interval", type=float, default=0.05)
ap.add_argument("--size", type=int, default=64)
args = ap.parse_args()

TS = "2026-11-27T12:00:00.000000Z"


def line(**fields):
    print(json.dumps({"session": "bench-1", "ts": TS, **fields}))


line(kind="open", t=0.0, client="127.0.0.1:50000", transport="websocket",
     request={"method": "GET", "target": "/bench", "headers": [["Host", "bench"]]},
     response={"status": 101, "headers": []})
for i in range(args.messages):
    t = round((i + 1) * args.interval, 6)
    text = f"{i:08d}".ljust(args.size, "x")
    line(kind="message", t=t, **{"from": "client"}, opcode="text", text=text, frames=1, compressed=False)
    line(kind="message", t=round(t + 0.0001, 6), **{"from": "server"}, opcode="text", text=text, frames=1, compressed=False)
end = round((args.messages + 1) * args.interval, 6)
line(kind="close", t=end, by="client", code=1000, reason="", error=None)
