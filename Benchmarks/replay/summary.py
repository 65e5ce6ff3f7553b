#!/usr/bin/env python3
"""Prints the replay benchmark's table from the run's files (run.sh passes WORK RAMP_UP DURATION NPROC COMMIT)."""
import json
import pathlib
import sys

work, ramp_up, duration, nproc, commit = pathlib.Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]


def timing(name):
    elapsed, user, system, rss = (work / f"{name}.time").read_text().split()[-4:]
    return {"client CPU s": float(user) + float(system), "client peak RSS MiB": int(rss) / 1024,
            "echo server CPU s": float((work / f"{name}.echo_cpu_s").read_text())}


rows = {}
report = json.loads((work / "sockettape.json").read_text())
totals = report["totals"]
steady = [s for s in report["timeline"] if ramp_up + 1 <= s["t"] < duration - 1]
def steady_p99(member):
    """p99 of a histogram over the steady-state seconds, from their buckets (1 % precision)."""
    counts = {}
    for second in steady:
        for value, count in second[member]["buckets"]:
            counts[value] = counts.get(value, 0) + count
    total, seen = sum(counts.values()), 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= 0.99 * total:
            return value
    return 0


rows["sockettape"] = {
    "sessions opened": totals["opened"], "sessions failed": totals["failed"], "messages sent": totals["sent"],
    "messages received": totals["received"],
    "msgs/s sent (sent / duration)": totals["sent"] / duration,
    "msgs/s sent, steady state": sum(s["sent"] for s in steady) / max(len(steady), 1),
    "round trip p50 µs": report["round_trip_us"]["p50"], "round trip p99 µs": report["round_trip_us"]["p99"],
    "pacing error p50 µs": report["pacing_error_us"]["p50"], "pacing error p99 µs": report["pacing_error_us"]["p99"],
    "round trip p99 µs, steady state": steady_p99("round_trip_us"),
    "pacing error p99 µs, steady state": steady_p99("pacing_error_us"),
    **timing("sockettape"),
}
if (work / "python.out").exists() and (work / "python.out").read_text().strip():
    py = json.loads((work / "python.out").read_text().strip().splitlines()[-1])
    rows["python websockets"] = {
        "sessions opened": py["opened"], "sessions failed": py["failed"], "messages sent": py["sent"],
        "messages received": py["received"], "msgs/s sent (sent / duration)": py["sent"] / duration,
        "msgs/s sent, steady state": None,
        "round trip p50 µs": py["round_trip_us"]["p50"], "round trip p99 µs": py["round_trip_us"]["p99"],
        "pacing error p50 µs": py["pacing_error_us"]["p50"], "pacing error p99 µs": py["pacing_error_us"]["p99"],
        "round trip p99 µs, steady state": None, "pacing error p99 µs, steady state": None,
        **timing("python"),
    }
for row in rows.values():
    row["client CPU µs per message sent"] = row["client CPU s"] * 1e6 / max(row["messages sent"], 1)

names = list(rows)
print(f"replay benchmark at {commit}, {nproc} cores; steady state = seconds {ramp_up + 1:g}..{duration - 1:g}; ratio = python / sockettape")
print("| | " + " | ".join(names) + (" | ratio |" if len(names) == 2 else " |"))
print("|---|" + "---:|" * (len(names) + (1 if len(names) == 2 else 0)))
for key in rows[names[0]]:
    values = [rows[n][key] for n in names]
    cells = ["–" if v is None else f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" for v in values]
    ratio = ""
    if len(values) == 2:
        ratio = f" {values[1] / values[0]:.2f}× |" if values[0] and values[1] is not None else " – |"
    print(f"| {key} | " + " | ".join(cells) + " |" + ratio)
