"""The proxy is transparent: a client sees the same thing through it as direct,
the server sees what the client sent, and the tape holds exactly that traffic."""
from __future__ import annotations

import base64
import random
import string
import time
from pathlib import Path

import pytest
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.sync.client import connect

from conftest import kinds, read_log, wait_for, wait_log_close

R = random.Random(20261126)
TEXT_1MIB = "".join(R.choices(string.ascii_letters + string.digits + " äöü✓", k=1 << 20))
BIN_4MIB = R.randbytes(4 << 20)
FRAGMENTS = ["frag-one ", "frag-two ", "frag-three"]
PING = b"are-you-there"
CLOSE = (4001, "client done")

# (what the client sends, how it is sent: 1 frame or a list of fragments)
SENT = [
    "hello \u2713 unicode",
    bytes(range(256)),
    FRAGMENTS,
    TEXT_1MIB,
    BIN_4MIB,
]


def whole(m):
    return "".join(m) if isinstance(m, list) else m


def run_client(url: str, compression, ssl=None) -> dict:
    """The fixed scenario; returns everything the client observed.

    compression: False, True (websockets' default offer), or "no-context-takeover"
    (both directions reset their compressor after every message)."""
    seen: dict = {}
    kw = {"compression": "deflate" if compression else None}
    if compression == "no-context-takeover":
        kw = {"compression": None, "extensions": [ClientPerMessageDeflateFactory(
            client_no_context_takeover=True, server_no_context_takeover=True)]}
    with connect(url, **kw,
                 subprotocols=["chat", "superchat"], proxy=None, max_size=None,
                 ping_interval=None, open_timeout=15, close_timeout=15, ssl=ssl) as ws:
        seen["subprotocol"] = ws.subprotocol
        seen["extensions"] = ws.response.headers.get("Sec-WebSocket-Extensions")
        replies = []
        for m in SENT:
            ws.send(m)
            replies.append(ws.recv(timeout=30))
        seen["replies"] = replies
        pong = ws.ping(PING)
        seen["pong"] = pong.wait(15)
        ws.close(*CLOSE)
    seen["close"] = (ws.close_code, ws.close_reason)
    return seen


def payload_of(rec: dict):
    if rec["opcode"] == "text":
        return rec["text"]
    return base64.b64decode(rec["base64"])


def header_value(headers, name):
    vals = [v for k, v in headers if k.lower() == name.lower()]
    return ", ".join(vals) if vals else None


def check_tape(records: list[dict], compression: bool, expect_sub: str = "superchat"):
    sessions = {r.get("session") for r in records}
    assert len(sessions) == 1, f"expected one session, got {sessions}"
    opens = kinds(records, "open")
    assert len(opens) == 1
    op = opens[0]
    assert op["transport"] == "websocket"
    assert op["response"]["status"] == 101
    assert op["request"]["method"] == "GET" and op["request"]["target"] == "/chat"
    assert header_value(op["response"]["headers"], "Sec-WebSocket-Protocol") == expect_sub
    assert header_value(op["request"]["headers"], "Sec-WebSocket-Protocol").replace(" ", "") == "chat,superchat"
    ext = header_value(op["response"]["headers"], "Sec-WebSocket-Extensions")
    if compression:
        assert ext is not None and "permessage-deflate" in ext
        if compression == "no-context-takeover":
            assert "server_no_context_takeover" in ext and "client_no_context_takeover" in ext
    else:
        assert ext is None

    msgs = kinds(records, "message")
    # client message, server echo, ... then ping/pong, then the two close messages
    expected = []
    for m in SENT:
        op_ = "text" if isinstance(whole(m), str) else "binary"
        # websockets sends a fragmented message as one frame per item plus an
        # empty final continuation frame (FIN set)
        frames = len(m) + 1 if isinstance(m, list) else 1
        expected.append(("client", op_, whole(m), frames, bool(compression)))
        expected.append(("server", op_, whole(m), 1, bool(compression)))
    expected.append(("client", "ping", PING, 1, False))
    expected.append(("server", "pong", PING, 1, False))
    got = [(r["from"], r["opcode"], payload_of(r) if r["opcode"] != "close" else None,
            r["frames"], r["compressed"]) for r in msgs[:-2]]
    # compare without dumping megabytes on failure
    assert len(got) == len(expected), [(g[0], g[1], g[3], g[4]) for g in got]
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g[:2] == e[:2], f"message {i}: {g[:2]} != {e[:2]}"
        assert g[2] == e[2], f"message {i} ({e[0]} {e[1]}): payload differs (len {len(g[2])} vs {len(e[2])})"
        assert g[3] == e[3], f"message {i} ({e[0]} {e[1]}): frames {g[3]} != {e[3]}"
        assert g[4] == e[4], f"message {i} ({e[0]} {e[1]}): compressed {g[4]} != {e[4]}"
    closes = msgs[-2:]
    assert [c["from"] for c in closes] == ["client", "server"]
    assert all(c["opcode"] == "close" for c in closes)
    assert closes[0]["close"] == {"code": CLOSE[0], "reason": CLOSE[1]}
    assert closes[1]["close"] == {"code": CLOSE[0], "reason": CLOSE[1]}  # both servers echo the close

    close_recs = kinds(records, "close")
    assert len(close_recs) == 1, close_recs
    assert close_recs[0]["by"] == "client"
    assert close_recs[0]["code"] == CLOSE[0]
    assert close_recs[0]["reason"] == CLOSE[1]
    assert close_recs[0].get("error") is None


@pytest.mark.parametrize("compression", [True, "no-context-takeover", False],
                         ids=["deflate", "deflate-no-context-takeover", "plain"])
@pytest.mark.parametrize("server", ["python", "node"])
def test_transparent_echo(h, server, compression):
    peer = h.echo(server, compression=compression, subprotocols=("superchat",))
    direct = run_client(f"ws://127.0.0.1:{peer.port}/chat", compression)
    assert direct["subprotocol"] == "superchat"
    assert direct["pong"] is True
    assert direct["replies"] == [whole(m) for m in SENT]
    assert direct["close"] == CLOSE
    assert ("permessage-deflate" in (direct["extensions"] or "")) == bool(compression)
    n_direct = len(read_log(peer.log))
    wait_log_close(peer)

    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape,
                    extra=["--max-message-size", 64 << 20, "--max-frame-size", 64 << 20])
    via = run_client(f"ws://127.0.0.1:{proxy.port}/chat", compression)
    assert via["subprotocol"] == direct["subprotocol"]
    assert via["extensions"] == direct["extensions"]
    assert via["pong"] is True
    assert via["close"] == direct["close"]
    assert len(via["replies"]) == len(direct["replies"])
    for i, (a, b) in enumerate(zip(via["replies"], direct["replies"])):
        assert a == b, f"reply {i} differs through the proxy"

    # the server's view of the proxied session
    def proxied_log():
        entries = read_log(peer.log)
        opens = [i for i, e in enumerate(entries) if e["type"] == "open"]
        return entries[opens[1]:] if len(opens) == 2 and entries[-1]["type"] == "close" else None
    from conftest import wait_for
    entries = wait_for(proxied_log, what="server log of the proxied session")
    assert n_direct >= 1
    assert entries[0]["path"] == "/chat"
    assert entries[0]["subprotocol"] == "superchat"
    data = [e for e in entries if e["type"] in ("text", "binary")]
    assert [e["text"] if e["type"] == "text" else base64.b64decode(e["base64"]) for e in data] \
        == [whole(m) for m in SENT]
    assert entries[-1]["code"] == CLOSE[0] and entries[-1]["reason"] == CLOSE[1]

    assert proxy.stop() == 0, proxy.describe()
    check_tape(h.export(tape), compression)


def test_frames_forwarded_byte_for_byte(h):
    """Without extensions, every frame crosses unchanged in both directions: same
    fragmentation, same masking keys, control frames where they were."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Fixtures" / "peers"))
    import rawws
    from raw_ws_server import SERVER_FRAMES
    F = rawws.frame
    client_frames = b"".join([
        F(rawws.OP_TEXT, "hi ✓".encode(), key=b"\x01\x02\x03\x04"),
        F(rawws.OP_BINARY, b"\x00" * 300, key=b"\xff\xee\xdd\xcc"),
        F(rawws.OP_TEXT, b"frag-a ", fin=False, key=b"\x10\x20\x30\x40"),
        F(rawws.OP_PING, b"mid", key=b"\x00\x00\x00\x00"),
        F(rawws.OP_CONT, b"frag-b ", fin=False, key=b"\xaa\xbb\xcc\xdd"),
        F(rawws.OP_CONT, b"frag-c", key=b"\x11\x22\x33\x44"),
        F(rawws.OP_BINARY, bytes(i % 253 for i in range(70000)), key=b"\x5a\x5a\xa5\xa5"),
    ])
    close = F(rawws.OP_CLOSE, rawws.close_payload(1000, "bytes checked"), key=b"\x01\x01\x01\x01")
    raw = h.raw_server("record")
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{raw.port}", record=tape)
    conn, status, _ = rawws.client_handshake(proxy.port)
    assert status == 101
    conn.send(client_frames)
    got = conn.read_exact(len(SERVER_FRAMES), time.monotonic() + 15)
    assert got == SERVER_FRAMES
    conn.send(close)
    reply, others = conn.read_until_close()
    assert others == [] and reply is not None and rawws.parse_close(reply)[0] == 1000
    conn.close()
    entries = wait_for(lambda: [e for e in read_log(raw.log) if e["type"] == "bytes"] or None,
                       what="raw server's byte log")
    assert base64.b64decode(entries[0]["base64"]) == client_frames + close
    assert proxy.stop() == 0
    records = h.export(tape)
    msgs = [(m["from"], m["opcode"], m["frames"]) for m in kinds(records, "message")]
    client = [m for m in msgs if m[0] == "client"]
    server = [m for m in msgs if m[0] == "server"]
    assert client == [("client", "text", 1), ("client", "binary", 1), ("client", "ping", 1),
                      ("client", "text", 3), ("client", "binary", 1), ("client", "close", 1)]
    assert server == [("server", "text", 1), ("server", "ping", 1), ("server", "text", 3),
                      ("server", "binary", 1), ("server", "binary", 1), ("server", "pong", 1),
                      ("server", "close", 1)]
    frames = kinds(h.export(tape, frames=True), "frame")
    assert [(f["opcode"], f["fin"], f["rsv"], f["mask"], f["length"]) for f in frames
            if f["from"] == "client"] == [
        ("text", True, 0, "01020304", 6), ("binary", True, 0, "ffeeddcc", 300),
        ("text", False, 0, "10203040", 7), ("ping", True, 0, "00000000", 3),
        ("continuation", False, 0, "aabbccdd", 7), ("continuation", True, 0, "11223344", 6),
        ("binary", True, 0, "5a5aa5a5", 70000), ("close", True, 0, "01010101", 15)]
    assert [(f["opcode"], f["fin"], f["mask"], f["length"]) for f in frames if f["from"] == "server"] == [
        ("text", True, None, 27), ("text", False, None, 10), ("ping", True, None, 17),
        ("continuation", False, None, 10), ("continuation", True, None, 10),
        ("binary", True, None, 512), ("binary", True, None, 70000), ("pong", True, None, 16),
        ("close", True, None, 2)]
