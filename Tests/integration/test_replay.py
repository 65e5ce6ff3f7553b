"""sockettape replay against real peers: python-socketio chats recorded through the proxy and
replayed against the same server (no differences), a changed server (each difference named) and
with learned noise; plain WebSocket tapes against the Python websockets and Node ws echo servers;
and bad input (unreachable or silent targets, bad flags)."""
from __future__ import annotations

import asyncio
import json
import socket
import xml.etree.ElementTree as ElementTree

import pytest
import websockets

from conftest import PEERS, PYTHON, kinds, read_log

STAMP_NOISE = ["--ignore", "/args/0/at", "--ignore", "/args/0/nonce"]


def sio_server(h, *flags: str):
    log = h.tmp / f"sio.{len(h.procs)}.log"
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", log, *flags])
    server.wait_listening()
    server.log = log
    return server


def record_sio_chat(h, mode: str, *flags: str):
    """Records sio_chat_session.py (two clients in a room, acks, binary, a server ack) through the proxy."""
    server = sio_server(h)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape)
    chat = h.spawn("chat", [PYTHON, PEERS / "sio_chat_session.py", f"http://127.0.0.1:{proxy.port}", mode, *flags])
    assert chat.wait(30) == 0, chat.describe()
    assert proxy.stop() == 0
    return server, tape


def replay(h, tape, target: str, *flags: str, timeout: float = 120):
    return h.cli("replay", tape, "--target", target, *flags, timeout=timeout)


@pytest.mark.parametrize("mode, pacing", [
    ("websocket", "causal"), ("upgrade", "causal"), ("polling", "causal"), ("websocket", "recorded"),
])
def test_a_socketio_chat_replays_against_the_same_server_without_differences(h, mode, pacing):
    server, tape = record_sio_chat(h, mode)
    before = len(read_log(server.log))
    cp = replay(h, tape, f"http://127.0.0.1:{server.port}", *STAMP_NOISE, "--pacing", pacing)
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    assert "2 sessions: 2 equal, 0 different" in cp.stdout_text
    assert "16 expected, 16 received: 16 equal" in cp.stdout_text
    # The server saw the conversation again: every event the clients sent, once more.
    replayed = read_log(server.log)[before:]
    events = [(e["event"], e["args"]) for e in replayed if e["dir"] == "in" and e["type"] in ("EVENT", "BINARY_EVENT")]
    recorded = [(e["event"], e["args"]) for e in read_log(server.log)[:before] if e["dir"] == "in" and e["type"] in ("EVENT", "BINARY_EVENT")]
    assert sorted(map(json.dumps, events)) == sorted(map(json.dumps, recorded))
    # The question the server asked bob was answered with the id the server gave it this time.
    assert any(e["type"] == "ACK" and e["dir"] == "in" and e["args"] == ["answer to how?"] for e in replayed)


def test_a_changed_server_gets_each_difference_named(h):
    _, tape = record_sio_chat(h, "websocket")
    changed = sio_server(h, "--changed")
    report, junit = h.tmp / "report.json", h.tmp / "junit.xml"
    cp = replay(h, tape, f"http://127.0.0.1:{changed.port}", *STAMP_NOISE, "--report", report, "--junit", junit)
    assert cp.returncode == 1, cp.stdout_text + cp.stderr_text
    out = cp.stdout_text
    assert '/args/0: expected "joined r1", got "entered r1"' in out
    assert '/args/0/echo: missing (expected "hello")' in out
    assert '/args/0/echoed: unexpected (got "hello")' in out
    document = json.loads(report.read_text())
    assert document["version"] == 1
    assert [s["status"] for s in document["sessions"]] == ["different", "different"]
    suite = ElementTree.parse(junit).getroot()
    cases = suite.findall(".//testcase")
    assert len(cases) == 2 and all(case.find("failure") is not None for case in cases)
    assert "entered r1" in cases[0].find("failure").text


def test_noise_is_learned_then_ignored(h):
    server, tape = record_sio_chat(h, "websocket")
    target = f"http://127.0.0.1:{server.port}"
    first = replay(h, tape, target)
    assert first.returncode == 1
    assert "/args/0/at: expected" in first.stdout_text and "/args/0/nonce: expected" in first.stdout_text
    learned = replay(h, tape, target, "--learn-noise")
    assert learned.returncode == 0, learned.stdout_text + learned.stderr_text
    noise = json.loads(tape.with_name(tape.name + ".noise.json").read_text())
    assert noise["version"] == 1
    assert {p for entry in noise["noise"] for p in entry["pointers"]} == {"/args/0/at", "/args/0/nonce"}
    again = replay(h, tape, target)
    assert again.returncode == 0, again.stdout_text
    assert "2 differences ignored" in again.stdout_text


def test_a_value_the_server_hands_out_is_captured_and_used_by_later_messages(h):
    """alice has the server create a room with a random name; both join it and alice shouts there.
    Replayed as recorded against a new server, the clients would ask to join a room it never made."""
    _, tape = record_sio_chat(h, "websocket", "--created-room")
    server = sio_server(h)
    target = f"http://127.0.0.1:{server.port}"
    uncaptured = replay(h, tape, target, *STAMP_NOISE)
    assert uncaptured.returncode == 1
    assert '/args/0: expected "joined room-' in uncaptured.stdout_text and 'got "no such room' in uncaptured.stdout_text
    before = len(read_log(server.log))
    captured = replay(h, tape, target, *STAMP_NOISE, "--capture", "/args/0/room")
    assert captured.returncode == 0, captured.stdout_text
    created = [e for e in read_log(server.log)[before:] if e["dir"] == "out" and e["type"] == "ACK" and "room" in str(e["args"])]
    room = created[0]["args"][0]["room"]
    joins = [e["args"][0] for e in read_log(server.log)[before:] if e.get("event") == "join"]
    assert joins == [room, room]


async def websocket_conversation(url: str) -> list:
    """Text, JSON, binary and a larger message, each echoed; returns what came back."""
    received = []
    async with websockets.connect(url, proxy=None, compression=None, max_size=None) as ws:
        for message in ["hello", json.dumps({"type": "join", "room": "r1"}), bytes(range(16)), "x" * 70000]:
            await ws.send(message)
            received.append(await asyncio.wait_for(ws.recv(), 5))
    return received


@pytest.mark.parametrize("kind", ["python", "node"])
def test_a_plain_websocket_tape_replays_against_echo_servers(h, kind):
    recorded_against = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{recorded_against.port}", record=tape)
    asyncio.run(websocket_conversation(f"ws://127.0.0.1:{proxy.port}/chat?room=1"))
    assert proxy.stop() == 0
    target = h.echo(kind, compression=False)
    cp = replay(h, tape, f"ws://127.0.0.1:{target.port}", "--header", "X-Run: replay")
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    assert "4 expected, 4 received: 4 equal" in cp.stdout_text
    messages = [e for e in read_log(target.log) if e["type"] in ("text", "binary")]
    assert [m.get("text", m.get("base64")) for m in messages][:2] == ["hello", json.dumps({"type": "join", "room": "r1"})]
    assert len(messages) == 4


def test_an_unreachable_target_is_reported_per_session(h):
    _, tape = record_sio_chat(h, "websocket")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    cp = replay(h, tape, f"http://127.0.0.1:{port}")
    assert cp.returncode == 1
    assert cp.stdout_text.count("error") >= 2 and "connection refused" in cp.stdout_text.lower(), cp.stdout_text


def test_a_target_that_never_answers_ends_with_the_timeout(h):
    _, tape = record_sio_chat(h, "websocket")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        cp = replay(h, tape, f"http://127.0.0.1:{port}", "--timeout", "3", timeout=30)
    assert cp.returncode == 1
    assert "3 s" in cp.stdout_text, cp.stdout_text


@pytest.mark.parametrize("flags, message", [
    (["--target", "ftp://x"], "--target"),
    (["--target", "ws://127.0.0.1:1", "--ignore", "args/0"], "--ignore"),
    (["--target", "ws://127.0.0.1:1", "--auth", "{not json"], "--auth"),
    (["--target", "ws://127.0.0.1:1", "--header", "no colon"], "--header"),
    (["--target", "ws://127.0.0.1:1", "--sessions", "nope"], "no session to replay"),
])
def test_bad_usage_exits_2_with_a_precise_message(h, flags, message):
    _, tape = record_sio_chat(h, "websocket")
    cp = h.cli("replay", tape, *flags)
    assert cp.returncode == 2, cp.stdout_text + cp.stderr_text
    assert message in cp.stderr_text, cp.stderr_text


def test_ignore_and_capture_rules_from_a_config_file(h):
    _, tape = record_sio_chat(h, "websocket", "--created-room")
    server = sio_server(h)
    config = h.tmp / "replay.yaml"
    config.write_text("replay:\n  ignore: [/args/0/at, /args/0/nonce]\n  capture: [/args/0/room]\n")
    cp = replay(h, tape, f"http://127.0.0.1:{server.port}", "--config", config)
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    assert h.cli("check-config", config).stdout_text.strip() == f"{config}: ok (0 limits, 0 event rules, 3 replay rules)"
    config.write_text("replay:\n  ignore:\n    - /args/0/at\n    - args/no-slash\n  capture: [regex:(]\n")
    bad = replay(h, tape, f"http://127.0.0.1:{server.port}", "--config", config)
    assert bad.returncode == 2
    lines = bad.stderr_text.strip().splitlines()
    assert lines[0].startswith(f"{config}:4:7: replay.ignore[1]: "), lines
    assert lines[1].startswith(f"{config}:5:13: replay.capture[0]: "), lines
    assert h.cli("check-config", config).returncode == 2


def record_websocket_conversation(h):
    echo = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape)
    asyncio.run(websocket_conversation(f"ws://127.0.0.1:{proxy.port}/"))
    assert proxy.stop() == 0
    return tape


def handshake_only_server(hang_up: bool) -> socket.socket:
    """Accepts one WebSocket handshake, then hangs up at once or stays silent (never echoes)."""
    import base64
    import hashlib
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve():
        connection, _ = listener.accept()
        request = connection.recv(65536).decode()
        key = next(line.split(":", 1)[1].strip() for line in request.split("\r\n") if line.lower().startswith("sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        connection.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        if hang_up:
            connection.close()
        else:
            while connection.recv(65536):
                pass

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_a_target_that_closes_right_after_the_handshake_is_reported(h):
    tape = record_websocket_conversation(h)
    with handshake_only_server(hang_up=True) as listener:
        cp = replay(h, tape, f"ws://127.0.0.1:{listener.getsockname()[1]}", "--timeout", "20", timeout=40)
    assert cp.returncode == 1, cp.stdout_text + cp.stderr_text
    assert "replay: 1 session: 0 equal, 0 different, 1 error" in cp.stdout_text, cp.stdout_text
    assert "4 expected, 0 received" in cp.stdout_text


def test_a_target_that_never_echoes_makes_each_causal_wait_time_out_once_and_says_so(h):
    tape = record_websocket_conversation(h)
    with handshake_only_server(hang_up=False) as listener:
        cp = replay(h, tape, f"ws://127.0.0.1:{listener.getsockname()[1]}",
                    "--causal-timeout", "0.3", "--settle", "0.3", timeout=60)
    assert cp.returncode == 1
    assert "4 expected, 0 received" in cp.stdout_text and "4 missing" in cp.stdout_text, cp.stdout_text
    waits = [line for line in cp.stderr_text.splitlines() if "sent after waiting 300 ms" in line]
    assert len(waits) == 3, cp.stderr_text  # messages 2, 3 and 4 each waited for the echo before them


def test_a_tape_with_a_damaged_tail_replays_what_it_holds(h):
    server, tape = record_sio_chat(h, "websocket")
    data = tape.read_bytes()
    tape.write_bytes(data[:-7])  # the seal and part of the last record are gone
    cp = replay(h, tape, f"http://127.0.0.1:{server.port}", *STAMP_NOISE)
    assert "recovered" in cp.stderr_text and "torn tail" in cp.stderr_text, cp.stderr_text
    # Both sessions are on the tape up to the tear: the replay compares what it holds.
    assert "replay: 2 sessions:" in cp.stdout_text, cp.stdout_text
