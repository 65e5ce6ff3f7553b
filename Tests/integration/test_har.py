"""HAR export and import (Chrome DevTools' shape) with real peers: a WebSocket session and
python-socketio sessions that poll, then upgrade, recorded through the proxy, survive tape → HAR →
tape unchanged (frame records aside); a DevTools-shaped Socket.io HAR replays against the real
python-socketio server; header credentials are redacted on import; bad input is named precisely
and leaves no tape behind."""
from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from conftest import FIXTURES, PEERS, PYTHON, kinds

HAR_FIXTURES = FIXTURES / "har"


def export_text(h, tape, fmt: str, *extra) -> str:
    return h.cli("export", tape, "--format", fmt, *extra, check=True).stdout_text


def round_trip(h, tape):
    """Exports `tape` as HAR, imports it again; returns the HAR document and the new tape."""
    har = h.tmp / "out.har"
    h.cli("export", tape, "--format", "har", "-o", har, check=True)
    again = h.tmp / "again.tape"
    cp = h.cli("import", har, "--format", "har", "-o", again, check=True)
    assert "skipped 0 entries" in cp.stdout_text, cp.stdout_text
    return json.loads(har.read_text()), again


async def websocket_session(url: str) -> None:
    async with websockets.connect(url + "/room?x=1") as ws:
        await ws.send("hello")
        assert await ws.recv() == "hello"
        await ws.send(b"\x00\x01\xfftape")
        assert await ws.recv() == b"\x00\x01\xfftape"
        await ws.close(1000, "done")


def test_a_websocket_tape_survives_har_and_back(h):
    echo = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape)
    asyncio.run(websocket_session(f"ws://127.0.0.1:{proxy.port}"))
    assert proxy.stop() == 0
    document, again = round_trip(h, tape)

    (entry,) = document["log"]["entries"]
    assert entry["_resourceType"] == "websocket"
    assert entry["request"]["url"] == f"ws://127.0.0.1:{proxy.port}/room?x=1"
    assert entry["response"]["status"] == 101
    shown = [(m["type"], m["opcode"], m["data"]) for m in entry["_webSocketMessages"]]
    assert shown[:4] == [("send", 1, "hello"), ("receive", 1, "hello"),
                         ("send", 2, "AAH/dGFwZQ=="), ("receive", 2, "AAH/dGFwZQ==")]
    assert [m[:2] for m in shown[4:]] == [("send", 8), ("receive", 8)]
    assert entry["_sockettape"]["records"][-1]["kind"] == "close"
    # Everything but the frame records (which HAR does not carry) comes back unchanged.
    assert export_text(h, again, "jsonl") == export_text(h, tape, "jsonl")
    assert kinds([json.loads(l) for l in export_text(h, tape, "jsonl", "--frames").splitlines()], "frame")


@pytest.mark.parametrize("mode", ["upgrade", "polling"])
def test_socketio_sessions_survive_har_and_back(h, mode):
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py"])
    server.wait_listening()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape)
    chat = h.spawn("chat", [PYTHON, PEERS / "sio_chat_session.py", f"http://127.0.0.1:{proxy.port}", mode])
    assert chat.wait(30) == 0, chat.describe()
    assert proxy.stop() == 0
    document, again = round_trip(h, tape)

    entries = document["log"]["entries"]
    websocket = [e for e in entries if e["_resourceType"] == "websocket"]
    polling = [e for e in entries if e["_resourceType"] == "xhr"]
    assert all(e["request"]["url"].startswith(f"http://127.0.0.1:{proxy.port}/socket.io/?transport=polling&EIO=4") for e in polling)
    handshakes = [e for e in polling if e["_sockettape"]["kind"] == "open"]
    assert len(handshakes) == 2 and all(e["response"]["content"]["text"].startswith('0{"sid":') for e in handshakes)
    if mode == "upgrade":
        # python-socketio upgrades right after the handshake: its packets then go over WebSocket.
        assert len(websocket) == 2
        assert all("transport=websocket&EIO=4&sid=" in e["request"]["url"] for e in websocket)
        assert [m["data"] for m in websocket[0]["_webSocketMessages"][:3]] == ["2probe", "3probe", "5"]
    else:
        assert websocket == [] and len(polling) > 10
        posts = [e for e in polling if e["request"]["method"] == "POST"]
        assert posts and all(e["request"]["postData"]["text"] for e in posts)
        carried = [r for e in polling for r in e["_sockettape"]["records"] if r["kind"] == "message"]
        assert carried and all(r["transport"] == "polling" for r in carried)
    assert export_text(h, again, "jsonl") == export_text(h, tape, "jsonl")


def test_a_devtools_socketio_har_replays_against_the_real_server(h):
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py"])
    server.wait_listening()
    tape = h.tape("devtools")
    cp = h.cli("import", HAR_FIXTURES / "devtools-socketio.har", "--format", "har", "-o", tape, check=True)
    assert cp.stdout_text == (f"imported 1 session(s), 19 record(s) into {tape}; "
                              "skipped 1 entry (not WebSocket or Engine.IO polling)\n")
    records = [json.loads(l) for l in export_text(h, tape, "jsonl").splitlines()]
    (opened,) = kinds(records, "open")
    assert (opened["transport"], opened["engineio"], opened["client"]) == ("polling", 4, "0.0.0.0:0")
    assert [r["transport"] for r in kinds(records, "upgrade")] == ["websocket"]
    cp = h.cli("replay", tape, "--target", f"http://127.0.0.1:{server.port}", timeout=120)
    assert cp.returncode == 0, cp.stdout_text + cp.stderr_text
    assert "replay: 1 session: 1 equal, 0 different" in cp.stdout_text, cp.stdout_text
    # The Engine.IO handshake, the CONNECT answer, a reply event and two acks.
    assert "5 expected, 5 received: 5 equal" in cp.stdout_text, cp.stdout_text


@pytest.mark.parametrize("flags, cookie", [([], "[redacted]"), (["--no-redact"], "session=s3cr3t")])
def test_header_credentials_are_redacted_on_import_unless_asked_not_to(h, flags, cookie):
    tape = h.tape()
    cp = h.cli("import", HAR_FIXTURES / "devtools-websocket.har", "--format", "har", "-o", tape, *flags, check=True)
    assert "skipped 2 entries" in cp.stdout_text
    (opened,) = kinds([json.loads(l) for l in export_text(h, tape, "jsonl").splitlines()], "open")
    assert ["Cookie", cookie] in opened["request"]["headers"]


BAD_MESSAGE = {"log": {"entries": [{
    "_resourceType": "websocket", "startedDateTime": "2026-11-26T12:00:00.000Z",
    "request": {"method": "GET", "url": "ws://h/"}, "response": {"status": 101},
    "_webSocketMessages": [{"type": "send", "time": 1795694400.1, "opcode": 2, "data": "not base64!"}]}]}}


@pytest.mark.parametrize("text, message", [
    ("{\"log\": ", "invalid JSON at byte 8"),
    (json.dumps({"log": {"pages": []}}), 'not a HAR: no "log.entries" array'),
    (json.dumps(BAD_MESSAGE), 'log.entries[0]._webSocketMessages[0]: field "data" must be base64'),
], ids=["not-json", "not-a-har", "bad-base64"])
def test_bad_input_is_named_and_leaves_no_tape(h, text, message):
    bad = h.tmp / "bad.har"
    bad.write_text(text)
    tape = h.tape("never")
    cp = h.cli("import", bad, "--format", "har", "-o", tape)
    assert cp.returncode == 2
    assert cp.stderr_text.startswith(f"sockettape: Error: {bad}: {message}"), cp.stderr_text
    assert not tape.exists()
