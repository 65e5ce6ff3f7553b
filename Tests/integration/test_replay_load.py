"""sockettape replay as a load test against real peers: plain WebSocket tapes cloned and looped
against the Python websockets and Node ws echo servers, with the messages the server logged
counted against the report; a Socket.io chat under load with round trips timed by acks; shard
reports merged into the unsharded counts; the HTML page; exit statuses and bad usage."""
from __future__ import annotations

import asyncio
import json
import re
import signal
import socket

import pytest
import websockets

from conftest import read_log, wait_for
from test_replay import record_sio_chat, replay, sio_server


async def paced_conversation(url: str) -> None:
    """Three small messages a tenth of a second apart, each echoed: a session a load test can loop."""
    async with websockets.connect(url, proxy=None, compression=None) as ws:
        for message in ["hello", json.dumps({"type": "join", "room": "r1"}), bytes(range(8))]:
            await asyncio.sleep(0.1)
            await ws.send(message)
            await asyncio.wait_for(ws.recv(), 5)


def record_websocket_session(h):
    recorded_against = h.py_echo(compression=False, name="recorded_against")
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{recorded_against.port}", record=tape)
    asyncio.run(paced_conversation(f"ws://127.0.0.1:{proxy.port}/chat?room=1"))
    assert proxy.stop() == 0
    return tape


def load(h, tape, target: str, *flags: str):
    """Runs a load test with a JSON report; returns the process and the report."""
    report = h.tmp / f"load.{len(h.procs)}.{len(list(h.tmp.glob('load.*.json')))}.json"
    cp = replay(h, tape, target, *flags, "--report", report)
    assert cp.returncode in (0, 1), cp.stdout_text + cp.stderr_text
    return cp, json.loads(report.read_text())


@pytest.mark.parametrize("kind", ["python", "node"])
def test_a_looped_load_sends_what_the_echo_server_receives(h, kind):
    tape = record_websocket_session(h)
    target = h.echo(kind, compression=False)
    html = h.tmp / "load.html"
    cp, report = load(h, tape, f"ws://127.0.0.1:{target.port}", "--clients", "20", "--loop", "--duration", "2",
                      "--pacing", "recorded", "--html", html)
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    totals = report["totals"]
    received_at_server = [e for e in read_log(target.log) if e["type"] in ("text", "binary")]
    assert totals["sent"] == len(received_at_server) > 0
    # A session stopped at --duration may have one message whose echo it no longer waited for.
    assert totals["sent"] - totals["stopped"] <= totals["received"] <= totals["sent"]
    assert totals["failed"] == 0 and totals["started"] > 20 and totals["stopped"] > 0
    assert totals["started"] == totals["completed"] + totals["stopped"]
    assert totals["answer_round_trips"] == report["round_trip_us"]["count"] > 0
    assert sum(second["sent"] for second in report["timeline"]) == totals["sent"]
    opens = [e for e in read_log(target.log) if e["type"] == "open"]
    # A handshake still in flight when --duration ends is abandoned by the client after the server
    # may have completed it: the server can see one more open than the report counts.
    assert totals["opened"] <= len(opens) <= totals["started"] and {e["path"] for e in opens} == {"/chat?room=1"}
    # Text summary on stdout, and nothing else there.
    assert cp.stdout_text.startswith("load test: 1 session × 20 clients = 20 sessions, pacing recorded")
    assert f"{totals['sent']} sent" in cp.stdout_text and "errors: none" in cp.stdout_text
    # The HTML page: self-contained, with the report's data for its charts.
    page = html.read_text()
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", page), "the page loads something"
    embedded = re.search(r'<script type="application/json" id="load-report">(.*?)</script>', page, re.S).group(1)
    assert json.loads(embedded.replace("<\\/", "</"))["timeline"] == report["timeline"]
    assert page.count("<polyline") == 5 and "<rect" in page  # round trip p50, p99, pacing p99; sent, received


def test_clones_get_their_own_identity(h):
    tape = record_websocket_session(h)
    target = h.node_echo(compression=False)
    cp, report = load(h, tape, f"ws://127.0.0.1:{target.port}", "--clients", "3", "--header", "X-User: user-{clone}-{session}")
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    users = sorted(value for e in read_log(target.log) if e["type"] == "open" for name, value in e["headers"] if name == "X-User")
    session = h.export(tape)[0]["session"]
    assert users == [f"user-{k}-{session}" for k in range(3)]


def test_a_socketio_load_times_round_trips_by_ack(h):
    _, tape = record_sio_chat(h, "websocket")
    server = sio_server(h)
    before = len(read_log(server.log))
    cp, report = load(h, tape, f"http://127.0.0.1:{server.port}", "--clients", "3", "--auth-list", write_auth_list(h))
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    totals = report["totals"]
    assert totals["started"] == totals["opened"] == totals["completed"] == 6
    assert totals["ack_round_trips"] > 0
    assert totals["ack_round_trips"] + totals["answer_round_trips"] == report["round_trip_us"]["count"]
    logged = read_log(server.log)[before:]
    connects = [e for e in logged if e["dir"] == "in" and e["type"] == "CONNECT" and e["nsp"] == "/"]
    assert len(connects) == totals["opened"]
    # Clone k sent line k mod 2 of the auth list.
    assert sorted(json.dumps(e["data"]) for e in connects) == sorted([json.dumps({"user": "a"})] * 4 + [json.dumps({"user": "b"})] * 2)
    asked = [e for e in logged if e["dir"] == "in" and e["type"] in ("EVENT", "BINARY_EVENT") and e.get("ack")]
    assert totals["ack_round_trips"] <= len(asked)


def write_auth_list(h):
    path = h.tmp / "auth.jsonl"
    path.write_text('{"user":"a"}\n\n{"user":"b"}\n')
    return path


def test_shard_reports_merge_into_the_unsharded_counts(h):
    tape = record_websocket_session(h)
    target = f"ws://127.0.0.1:{h.node_echo(compression=False).port}"
    shards = [load(h, tape, target, "--clients", "5", "--shard", f"{i}/2")[1] for i in (1, 2)]
    assert [s["totals"]["started"] for s in shards] == [3, 2]
    whole = load(h, tape, target, "--clients", "5")[1]
    paths = []
    for i, shard in enumerate(shards):
        paths.append(h.tmp / f"shard{i}.json")
        paths[-1].write_text(json.dumps(shard))
    merged_path = h.tmp / "merged.json"
    cp = h.cli("report", "merge", *paths, "-o", merged_path, "--html", h.tmp / "merged.html")
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    merged = json.loads(merged_path.read_text())
    for key in ("started", "opened", "completed", "sent", "received", "bytes_sent", "bytes_received", "answer_round_trips"):
        assert merged["totals"][key] == whole["totals"][key], key
    assert merged["round_trip_us"]["count"] == whole["round_trip_us"]["count"]
    assert merged["setup"]["shards"] == ["1/2", "2/2"]
    assert "shards 1/2, 2/2" in cp.stdout_text


def test_ctrl_c_stops_a_load_test_like_its_duration(h):
    tape = record_websocket_session(h)
    target = h.node_echo(compression=False)
    report = h.tmp / "interrupted.json"
    run = h.spawn("load", [h.bin, "replay", tape, "--target", f"ws://127.0.0.1:{target.port}", "--clients", "4", "--loop",
                           "--duration", "60", "--pacing", "recorded", "--report", report])
    wait_for(lambda: any(e["type"] == "text" for e in read_log(target.log)), what="the first message at the server")
    run.signal(signal.SIGINT)
    assert run.wait(30) == 0, run.describe()
    totals = json.loads(report.read_text())["totals"]
    assert 0 < totals["stopped"] <= 4 and totals["failed"] == 0
    assert totals["sent"] == len([e for e in read_log(target.log) if e["type"] in ("text", "binary")])


def test_failed_sessions_make_exit_status_1(h):
    tape = record_websocket_session(h)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    cp, report = load(h, tape, f"ws://127.0.0.1:{port}", "--clients", "2")
    assert cp.returncode == 1
    assert report["totals"]["failed"] == 2 and report["totals"]["errors"] == {"connect": 2}
    assert "connection refused" in report["totals"]["error_examples"]["connect"]
    assert "errors: connect × 2" in cp.stdout_text


@pytest.mark.parametrize("flags, message", [
    (["--loop"], "--loop needs --duration"),
    (["--clients", "0"], "--clients must be at least 1"),
    (["--clients", "2", "--shard", "3/2"], "--shard '3/2'"),
    (["--html", "x.html"], "--html is for load tests"),
    (["--clients", "2", "--junit", "j.xml"], "--junit is for regression replays"),
    (["--clients", "2", "--start-at", "soon"], "--start-at 'soon'"),
    (["--clients", "2", "--header", "X-User: a\u0001{clone}"], "--header"),
])
def test_bad_load_usage_exits_2(h, flags, message):
    tape = record_websocket_session(h)
    cp = h.cli("replay", tape, "--target", "ws://127.0.0.1:9", *flags)
    assert cp.returncode == 2, cp.stdout_text + cp.stderr_text
    assert message in cp.stderr_text, cp.stderr_text


def test_report_merge_refuses_what_is_not_a_load_report(h):
    regression = h.tmp / "regression.json"
    regression.write_text('{"version":1,"result":"equal","exit_status":0,"totals":{},"sessions":[]}')
    cp = h.cli("report", "merge", regression)
    assert cp.returncode == 2
    assert f"{regression}: /kind: missing" in cp.stderr_text
