"""The proxy is transparent: a client sees the same thing through it as direct,
the server sees what the client sent, and the tape holds exactly that traffic."""
from __future__ import annotations

import base64
import random
import string

import pytest
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.sync.client import connect

from conftest import kinds, read_log, wait_log_close

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
