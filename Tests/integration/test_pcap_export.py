"""`export --format pcap`: traffic recorded through the proxy from real peers, exported as
synthesised TCP/IP packets, read back by tshark. tshark's view of the capture must equal the
tape: every WebSocket message (direction, opcode, payload, close code and reason), every
long-polling HTTP body, and no malformed packet, expert warning, bad checksum or TCP analysis
flag.

The tshark command (tshark 4.0, Debian 12), with the preferences spelled out even where they
are the defaults, so the test says what it relies on:

    tshark -r OUT.pcap -n -T json --no-duplicate-keys \
        -o tcp.desegment_tcp_streams:TRUE -o tcp.analyze_sequence_numbers:TRUE \
        -o http.desegment_headers:TRUE -o http.desegment_body:TRUE -o http.dechunk_body:TRUE \
        -o websocket.decompress:TRUE -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE

and the same options with `-Y PROBLEMS` (below) for the packets tshark finds fault with.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import pty
import random
import string
import subprocess
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.sync.client import connect

from conftest import CHILD_ENV, PEERS, PYTHON, kinds
from test_socketio import EXPECTED as SIO_EXPECTED, chat_session

TSHARK = "/usr/bin/tshark"
TSHARK_OPTIONS = [
    "-n",
    "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
    "-o", "http.desegment_headers:TRUE", "-o", "http.desegment_body:TRUE", "-o", "http.dechunk_body:TRUE",
    "-o", "websocket.decompress:TRUE", "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
]
PROBLEMS = ('_ws.malformed or _ws.expert.severity >= "Warning" or tcp.analysis.flags'
            ' or ip.checksum.status == "Bad" or tcp.checksum.status == "Bad"')

R = random.Random(20261127)
TEXT_1MIB = "".join(R.choices(string.ascii_letters + string.digits + " äöü✓", k=1 << 20))
# websockets sends a list as one frame per item and an empty final frame
SENT = ["hello \u2713 unicode", bytes(range(256)), ["frag-one ", "frag-two ", "frag-three"], TEXT_1MIB]
# three binary fragments, the last one not empty
FRAGMENTS = [b"part-one ", b"part-two ", b"part-three"]
# tshark 4.0 does not put a fragmented message together when its final frame is empty (nor
# show the first fragment's payload), and then prepends those fragments to the next fragmented
# message from the same side: such a message comes last among the client's fragmented ones, and
# for it both sides say so instead of a payload
UNASSEMBLED = "<fragmented message ending in an empty frame>"
PING = b"are-you-there"
CLOSE = (4001, "client done")
OPCODES = {"text": 1, "binary": 2, "close": 8, "ping": 9, "pong": 10}
# tshark unmasks at most the first 256 KiB of a masked payload (MAX_UNMASKED_LEN in
# packet-websocket.c) and shows only those bytes of a larger client message
TSHARK_UNMASK_LIMIT = 256 * 1024
# tshark 4.0 does not inflate a compressed message that came in several frames (it looks for
# RSV1 on the final frame, where RFC 7692 does not put it): it shows the reassembled DEFLATE
# bytes. For binary ones the test inflates them itself; a text one is shown lossily, so both
# sides say so instead of a payload
COMPRESSED_FRAGMENTED_TEXT = "<compressed text message in several frames>"


def run_client(url: str, compression) -> None:
    """Text, binary, a fragmented message, 1 MiB of text (each echoed), a ping, a close with
    code and reason. compression: None, "deflate", or "no-context-takeover"."""
    kw = {"compression": compression}
    if compression == "no-context-takeover":
        kw = {"compression": None, "extensions": [ClientPerMessageDeflateFactory(
            client_no_context_takeover=True, server_no_context_takeover=True)]}
    with connect(url, **kw, proxy=None, max_size=None, ping_interval=None,
                 open_timeout=15, close_timeout=15) as ws:
        with ws.send_context():
            ws.protocol.send_binary(FRAGMENTS[0], fin=False)
            ws.protocol.send_continuation(FRAGMENTS[1], fin=False)
            ws.protocol.send_continuation(FRAGMENTS[2], fin=True)
        assert ws.recv(timeout=30) == b"".join(FRAGMENTS)
        for message in SENT:
            ws.send(message)
            ws.recv(timeout=30)
        assert ws.ping(PING).wait(15)
        ws.close(*CLOSE)


def export_pcap(h, tape: Path) -> tuple[Path, str]:
    out = h.tmp / "out.pcap"
    cp = h.cli("export", tape, "--format", "pcap", "-o", out, check=True)
    assert cp.stdout == b"" and out.stat().st_size > 24
    return out, cp.stderr_text


def tshark(*args) -> subprocess.CompletedProcess:
    return subprocess.run([TSHARK, *TSHARK_OPTIONS, *args], capture_output=True, timeout=120, env=CHILD_ENV)


def tshark_layers(pcap: Path) -> list[dict]:
    cp = tshark("-r", pcap, "-T", "json", "--no-duplicate-keys")
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    return [p["_source"]["layers"] for p in json.loads(cp.stdout)]


def assert_no_problems(pcap: Path) -> None:
    cp = tshark("-r", pcap, "-Y", PROBLEMS)
    assert cp.returncode == 0, cp.stderr.decode(errors="replace")
    assert cp.stdout.decode(errors="replace") == "", "tshark flags packets:\n" + cp.stdout.decode(errors="replace")[:3000]


def http_start_line(http: dict) -> dict:
    """The request or status line subtree of tshark's http layer."""
    return next(v for v in http.values() if isinstance(v, dict) and ("http.request.method" in v or "http.response.code" in v))


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def hex_bytes(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def tshark_messages(layers: list[dict], server_port: int) -> list[tuple]:
    """(from, opcode, payload) per complete WebSocket message, in capture order. tshark puts a
    fragmented message together at its last frame (text in the frame's payload, binary in the
    packet's `data` layer); each packet completes at most one message (the export starts every
    message in a segment of its own)."""
    first_opcode: dict[str, int] = {}
    first_compressed: dict[str, bool] = {}
    messages = []
    for layer in layers:
        if "websocket" not in layer:
            continue
        sender = "server" if int(layer["tcp"]["tcp.srcport"]) == server_port else "client"
        for frame in as_list(layer["websocket"]):
            opcode = int(frame["websocket.opcode"])
            if opcode in (1, 2):
                first_opcode[sender] = opcode
                first_compressed[sender] = frame.get("websocket.pmc") == "1"
            if frame["websocket.fin"] != "1":
                continue
            payload = frame.get("websocket.payload") or {}
            if opcode == 0 and frame_length(frame) == 0 and "websocket.fragments" not in layer:
                messages.append((sender, first_opcode[sender], UNASSEMBLED))
                continue
            if opcode == 0 and first_compressed[sender]:
                if first_opcode[sender] == 1:
                    messages.append((sender, 1, COMPRESSED_FRAGMENTED_TEXT))
                else:
                    (data,) = as_list(layer["data"])
                    messages.append((sender, 2, inflate(hex_bytes(data["data.data"]))))
                continue
            opcode = first_opcode[sender] if opcode == 0 else opcode
            if opcode == 1:
                value = payload.get("websocket.payload.text", "")
            elif opcode == 2:
                data = as_list(layer.get("data", []))
                assert len(data) <= 1, layer
                value = hex_bytes(data[0]["data.data"]) if data else b""
            elif opcode == 8:
                close = payload.get("websocket.payload.close", {})
                code = close.get("websocket.payload.close.status_code")
                value = (int(code) if code else None, close.get("websocket.payload.close.reason", ""))
            else:
                name = "websocket.payload.ping" if opcode == 9 else "websocket.payload.pong"
                value = hex_bytes(payload.get(name, ""))
            messages.append((sender, opcode, value))
    return messages


def frame_length(frame: dict) -> int:
    """The payload length a frame header declares (the 7-bit field, or its 16/64-bit extension)."""
    for name in ("websocket.payload_length_ext_64", "websocket.payload_length_ext_16", "websocket.payload_length"):
        if name in frame:
            return int(frame[name])
    raise AssertionError(frame)


def tshark_frames(layers: list[dict], server_port: int, lengths: bool) -> list[tuple]:
    """(from, opcode, fin, rsv, masking key, [payload length]) of every WebSocket frame."""
    frames = []
    for layer in layers:
        sender = "server" if int(layer["tcp"]["tcp.srcport"]) == server_port else "client"
        for f in as_list(layer.get("websocket", [])):
            key = f.get("websocket.masking_key", "").replace(":", "") or None
            frames.append((sender, int(f["websocket.opcode"]), f["websocket.fin"] == "1", int(f["websocket.rsv"], 16), key)
                          + ((frame_length(f),) if lengths else ()))
    return frames


def tape_frames(records: list[dict], lengths: bool) -> list[tuple]:
    frames = []
    for f in kinds(records, "frame"):
        opcode = OPCODES.get(f["opcode"], 0) if isinstance(f["opcode"], str) else f["opcode"]
        frames.append(("client" if f["from"] == "client" else "server", opcode, f["fin"], f["rsv"], f["mask"])
                      + ((f["length"],) if lengths else ()))
    return frames


def inflate(deflated: bytes) -> bytes:
    """A permessage-deflate payload on its own (RFC 7692 §7.2.2)."""
    return zlib.decompressobj(-15).decompress(deflated + b"\x00\x00\xff\xff")


def tape_messages(records: list[dict]) -> list[tuple]:
    """The tape's WebSocket messages as (from, opcode, payload), the proxy's own server→client.
    `records` must include the frame records (export --frames)."""
    messages = []
    frames: dict[str, list[dict]] = {"client": [], "server": []}
    for m in records:
        if m["kind"] == "frame":
            frames[m["from"]].append(m)
        if m["kind"] != "message" or m.get("transport") == "polling":
            continue
        sender = "client" if m["from"] == "client" else "server"
        own = [f for f in frames.get(m["from"], []) if (f["opcode"] in ("close", "ping", "pong")) == (m["opcode"] in ("close", "ping", "pong"))]
        frames[m["from"]] = [f for f in frames.get(m["from"], []) if f not in own]
        if len(own) > 1 and own[-1]["length"] == 0 and not m["compressed"]:
            messages.append((sender, OPCODES[m["opcode"]], UNASSEMBLED))
            continue
        if len(own) > 1 and m["compressed"] and m["opcode"] == "text":
            messages.append((sender, 1, COMPRESSED_FRAGMENTED_TEXT))
            continue
        if m["opcode"] == "text":
            value = m["text"]
        elif m["opcode"] == "close":
            value = (m["close"]["code"], m["close"]["reason"])
        else:
            value = base64.b64decode(m["base64"])
        messages.append((sender, OPCODES[m["opcode"]], value))
    return messages


def encoded(value) -> bytes:
    return value.encode() if isinstance(value, str) else value


def assert_same_messages(seen: list[tuple], expected: list[tuple]) -> None:
    """seen == expected, except that of a client message whose payload is over
    TSHARK_UNMASK_LIMIT tshark shows only a prefix (at least the limit when uncompressed; what the
    first 256 KiB of DEFLATE data inflate to when compressed, followed by whatever tshark makes
    of the cut stream): they must agree on at least the first 128 KiB."""
    assert describe(seen) == describe(expected)
    assert len(seen) == len(expected)
    for got, want in zip(seen, expected):
        if want[0] == "client" and isinstance(want[2], (str, bytes)) and len(encoded(want[2])) > TSHARK_UNMASK_LIMIT:
            shown, recorded = encoded(got[2]), encoded(want[2])
            common = next((i for i, (a, b) in enumerate(zip(shown, recorded)) if a != b), min(len(shown), len(recorded)))
            assert got[:2] == want[:2] and common >= TSHARK_UNMASK_LIMIT // 2, (got[:2], want[:2], common)
        else:
            assert got == want


def describe(messages: list[tuple]) -> list[tuple]:
    """Messages with long payloads cut, for readable assertion failures."""
    return [(s, o, v[:60] if isinstance(v, (str, bytes)) else v) for s, o, v in messages]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("server,compression", [
    ("python", None), ("python", "deflate"), ("python", "no-context-takeover"), ("node", "deflate"),
], ids=["python-plain", "python-deflate", "python-deflate-no-context-takeover", "node-deflate"])
def test_tshark_sees_every_websocket_message_of_the_tape(h, server, compression):
    peer = h.echo(server, compression=compression is not None)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    run_client(f"ws://127.0.0.1:{proxy.port}/chat", compression)
    assert proxy.stop() == 0
    records = h.export(tape, frames=True)
    expected = tape_messages(records)
    assert len(expected) == 2 * len(SENT) + 6  # echoes, the binary fragments and echo, ping and pong, close both ways
    assert (UNASSEMBLED in [m[2] for m in expected]) == (compression is None)
    assert any(m["compressed"] for m in kinds(records, "message")) == (compression is not None)

    pcap, stderr = export_pcap(h, tape)
    layers = tshark_layers(pcap)
    assert_same_messages(tshark_messages(layers, peer.port), expected)
    # every frame as recorded: opcode, FIN, RSV, masking key, and (uncompressed) length
    assert tshark_frames(layers, peer.port, lengths=not compression) == tape_frames(records, lengths=not compression)
    assert_no_problems(pcap)
    assert "left out" not in stderr, stderr

    # one TCP connection, from the recorded client to the upstream, with the recorded times
    (opened,) = kinds(records, "open")
    client_port = int(opened["client"].rsplit(":", 1)[1])
    ports = {frozenset((int(l["tcp"]["tcp.srcport"]), int(l["tcp"]["tcp.dstport"]))) for l in layers}
    assert ports == {frozenset((client_port, peer.port))}
    handshake = [l for l in layers if "http" in l]
    assert [http_start_line(l["http"]).get("http.request.method") for l in handshake] == ["GET", None]
    assert http_start_line(handshake[1]["http"])["http.response.code"] == "101"
    first_time = float(layers[0]["frame"]["frame.time_epoch"])
    assert abs(first_time - iso_seconds(opened["ts"])) < 1e-6
    if compression:
        pmc = [f for l in layers for f in as_list(l.get("websocket", [])) if f.get("websocket.pmc") == "1"]
        assert pmc, "no compressed frame in the capture"


def iso_seconds(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("transports", [["polling", "websocket"], ["polling"]], ids=["polling-then-upgrade", "polling-only"])
def test_socketio_sessions(h, transports):
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py"])
    server.wait_listening()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape)
    seen_by_client = asyncio.run(chat_session(f"http://127.0.0.1:{proxy.port}", transports))
    assert {k: seen_by_client[k] for k in SIO_EXPECTED} == SIO_EXPECTED
    assert proxy.stop() == 0
    records = h.export(tape, frames=True)
    upgrades = kinds(records, "upgrade")
    assert len(upgrades) == len(transports) - 1
    assert kinds(records, "http") or upgrades

    pcap, stderr = export_pcap(h, tape)
    layers = tshark_layers(pcap)
    assert_no_problems(pcap)
    # the WebSocket messages after the upgrade
    assert_same_messages(tshark_messages(layers, server.port), tape_messages(records))
    # every long-polling exchange: the request and response bodies, in order
    exchanges = [r for r in records if r["kind"] == "http" or (r["kind"] == "open" and r["transport"] == "polling")]
    expected_bodies = []
    for r in exchanges:
        expected_bodies.append(("request", r["request"].get("body", "")))
        if r["response"] is not None:
            expected_bodies.append(("response", r["response"].get("body", "")))
    http_bodies = []
    for layer in layers:
        http = layer.get("http")
        if http is None or "http.upgrade" in http:
            continue
        kind = "request" if "http.request.method" in http_start_line(http) else "response"
        http_bodies.append((kind, http.get("http.file_data", "")))
    assert http_bodies == expected_bodies
    # one connection per exchange and one for the upgrade, each from its own client port
    syns = [l for l in layers if l["tcp"]["tcp.flags_tree"]["tcp.flags.syn"] == "1" and l["tcp"]["tcp.flags_tree"]["tcp.flags.ack"] == "0"]
    assert len(syns) == len(exchanges) + len(upgrades)
    assert len({l["tcp"]["tcp.srcport"] for l in syns}) == len(syns)
    if upgrades:
        assert "left out" not in stderr, stderr
    else:  # the session's end is an Engine.IO packet inside a polling body
        assert "1 record(s) with no wire form left out of the pcap: 1 close" in stderr, stderr


def test_standard_output_when_it_is_not_a_terminal(h):
    tape = record_short_session(h)
    to_file, _ = export_pcap(h, tape)
    cp = h.cli("export", tape, "--format", "pcap", check=True)
    assert cp.stdout == to_file.read_bytes()
    assert cp.stdout[:4] == bytes.fromhex("d4c3b2a1")  # classic pcap, microseconds
    primary, secondary = pty.openpty()
    try:
        p = subprocess.run([str(h.bin), "export", tape, "--format", "pcap"], stdout=secondary,
                           stderr=subprocess.PIPE, timeout=30, env=CHILD_ENV)
    finally:
        os.close(secondary)
        os.close(primary)
    assert p.returncode == 2
    assert "-o" in p.stderr.decode() and "binary" in p.stderr.decode()


def record_short_session(h) -> Path:
    peer = h.echo("python", compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    with connect(f"ws://127.0.0.1:{proxy.port}/", proxy=None, open_timeout=15) as ws:
        ws.send("one")
        ws.recv(timeout=15)
    assert proxy.stop() == 0
    return tape


@pytest.mark.parametrize("content", [None, b"not a tape at all\n"], ids=["missing", "not-a-tape"])
def test_bad_input_is_refused_and_leaves_no_output(h, content):
    tape = h.tmp / "input.tape"
    if content is not None:
        tape.write_bytes(content)
    out = h.tmp / "out.pcap"
    cp = h.cli("export", tape, "--format", "pcap", "-o", out)
    assert cp.returncode == 2
    assert str(tape) in cp.stderr_text.splitlines()[0], cp.stderr_text
    assert not out.exists()


def test_damaged_tail_is_reported_and_the_rest_exported(h):
    tape = record_short_session(h)
    whole = tape.read_bytes()
    tape.write_bytes(whole[:-3])  # cut inside the seal: a torn tail
    out = h.tmp / "cut.pcap"
    cp = h.cli("export", tape, "--format", "pcap", "-o", out, check=True)
    assert f"sockettape: {tape}: recovered:" in cp.stderr_text, cp.stderr_text
    messages = tshark_messages(tshark_layers(out), int(kinds(h.export(tape), "open")[0]["upstream"].rsplit(":", 1)[1]))
    assert [m[2] for m in messages][:2] == ["one", "one"]
    assert_no_problems(out)
