#!/usr/bin/env python3
"""The replay benchmark's reference: a Python `websockets` asyncio client doing what
`sockettape replay --clients N --pacing recorded --ramp-up R --duration D` does with the same
tape — N copies of the session, copy k starting k/N of R after the start, each sending the
session's client messages at their recorded offsets and timing each to the next server message,
all stopped (close 1000) after D seconds. Prints one JSON line: sessions, messages, round-trip
and pacing-error percentiles (µs), and the process's CPU seconds."""
import argparse
import asyncio
import json
import resource
import time

import websockets

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--jsonl", required=True)
ap.add_argument("--clients", type=int, required=True)
ap.add_argument("--ramp-up", type=float, default=0)
ap.add_argument("--duration", type=float, required=True)
args = ap.parse_args()

records = [json.loads(l) for l in open(args.jsonl)]
opened = next(r for r in records if r["kind"] == "open")
target = opened["request"]["target"]
outgoing = [(r["t"] - opened["t"], r["text"]) for r in records if r["kind"] == "message" and r["from"] == "client"]

rtts, pacing = [], []
counts = {"opened": 0, "failed": 0, "sent": 0, "received": 0}


async def session(k: int, start: float, stop: float) -> None:
    await asyncio.sleep(max(0, start + args.ramp_up * k / args.clients - time.monotonic()))
    began = time.monotonic()
    try:
        async with websockets.connect(args.url.rstrip("/") + target, compression=None, proxy=None,
                                      max_queue=None, ping_interval=None) as ws:
            counts["opened"] += 1
            waiting = None

            async def reader():
                nonlocal waiting
                async for _ in ws:
                    counts["received"] += 1
                    if waiting is not None:
                        rtts.append(time.monotonic() - waiting)
                        waiting = None

            task = asyncio.create_task(reader())
            for offset, text in outgoing:
                due = began + offset
                if due >= stop:
                    break
                await asyncio.sleep(max(0, due - time.monotonic()))
                now = time.monotonic()
                await ws.send(text)
                pacing.append(now - due)
                counts["sent"] += 1
                if waiting is None:
                    waiting = now
            await asyncio.sleep(max(0, stop - time.monotonic()))
            await ws.close(1000)
            task.cancel()
    except Exception:
        counts["failed"] += 1


def percentiles(values):
    values = sorted(values)
    pick = lambda p: round(values[min(len(values) - 1, int(p / 100 * len(values)))] * 1e6) if values else 0
    return {"count": len(values), "p50": pick(50), "p90": pick(90), "p99": pick(99), "max": pick(100)}


async def main() -> None:
    start = time.monotonic() + 0.5
    stop = start + args.duration
    sessions = [asyncio.create_task(session(k, start, stop)) for k in range(args.clients)]
    # Like sockettape's --duration: sessions get a few seconds to close, then count as failed.
    done, late = await asyncio.wait(sessions, timeout=args.duration + 10)
    for task in late:
        task.cancel()
    counts["failed"] += len(late)


began = time.monotonic()
asyncio.run(main())
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"elapsed_s": time.monotonic() - began, **counts, "round_trip_us": percentiles(rtts),
                  "pacing_error_us": percentiles(pacing), "cpu_s": usage.ru_utime + usage.ru_stime,
                  "max_rss_kib": usage.ru_maxrss}))
