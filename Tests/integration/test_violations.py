"""Protocol violations get the RFC 6455 close code, the other side a clean close,
and the tape a policy record plus a close record by the proxy."""
from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

import rawws
from rawws import OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_TEXT, close_payload, frame
from conftest import free_port, kinds, read_log, wait_log_close

F = frame

CASES = {
    "unmasked-client-frame": ([F(OP_TEXT, b"unmasked", mask=False)], 1002),
    "rsv1-without-extension": ([F(OP_TEXT, b"rsv1", rsv1=True)], 1002),
    "rsv2-set": ([F(OP_TEXT, b"rsv2", rsv2=True)], 1002),
    "reserved-opcode-3": ([F(3, b"op3")], 1002),
    "reserved-opcode-11": ([F(11, b"op11")], 1002),
    "control-payload-126": ([F(OP_PING, b"p" * 126)], 1002),
    "fragmented-ping": ([F(OP_PING, b"p", fin=False)], 1002),
    "continuation-without-start": ([F(OP_CONT, b"cont")], 1002),
    "text-inside-fragmented-message": ([F(OP_TEXT, b"start", fin=False), F(OP_TEXT, b"again")], 1002),
    "invalid-utf8-whole": ([F(OP_TEXT, b"bad \xff\xfe text")], 1007),
    "invalid-utf8-split": ([F(OP_TEXT, b"caf\xc3", fin=False), F(OP_CONT, b"\x28 rest")], 1007),
    "close-1-byte-payload": ([F(OP_CLOSE, b"\x03")], 1002),
    "close-code-1005": ([F(OP_CLOSE, close_payload(1005))], 1002),
    "close-code-999": ([F(OP_CLOSE, close_payload(999))], 1002),
    "close-code-5000": ([F(OP_CLOSE, close_payload(5000))], 1002),
    # RFC 6455 8.1 says "fail the connection"; implementations use 1007 or 1002
    "close-reason-invalid-utf8": ([F(OP_CLOSE, close_payload(1000) + b"\xff")], (1007, 1002)),
}


def open_raw_session(h, extra=()):
    """Upstream echo server + recording proxy + raw client that did the handshake
    and one good round trip ("ok-before")."""
    peer = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=list(extra))
    conn, status, headers = rawws.client_handshake(proxy.port, "/raw")
    assert status == 101, headers
    conn.send(F(OP_TEXT, b"ok-before"))
    echo = conn.read_frame()
    assert echo is not None and echo["opcode"] == OP_TEXT and echo["payload"] == b"ok-before"
    assert echo["masked"] is False
    return peer, proxy, tape, conn


def finish_and_check(h, peer, proxy, tape, conn, expected_code):
    close, _ = conn.read_until_close()
    assert close is not None, "proxy hung up without a close frame\n" + proxy.describe()
    assert close["masked"] is False
    code, _reason = rawws.parse_close(close)
    allowed = expected_code if isinstance(expected_code, tuple) else (expected_code,)
    assert code in allowed
    try:  # answer the close as a client should
        conn.send(F(OP_CLOSE, close["payload"][:2]))
    except OSError:
        pass
    conn.close()

    # upstream: a clean close, and only the good message ever arrived
    end = wait_log_close(peer)
    assert end["code"] in (1000, 1001), end
    data = [e for e in read_log(peer.log) if e["type"] in ("text", "binary")]
    assert data == [{"type": "text", "text": "ok-before"}]

    assert proxy.stop() == 0, proxy.describe()
    records = h.export(tape)
    policies = kinds(records, "policy")
    assert any(p["rule"] == "protocol" and p["action"] == "close" and p.get("from") == "client"
               for p in policies), policies
    closes = kinds(records, "close")
    assert any(c["by"] == "proxy" and c["code"] == code for c in closes), closes
    client_msgs = [m for m in kinds(records, "message") if m["from"] == "client"
                   and m["opcode"] in ("text", "binary")]
    assert [m.get("text") for m in client_msgs] == ["ok-before"]
    return records


@pytest.mark.parametrize("case", list(CASES))
def test_client_violation(h, case):
    frames, code = CASES[case]
    peer, proxy, tape, conn = open_raw_session(h)
    for f in frames:
        conn.send(f)
    finish_and_check(h, peer, proxy, tape, conn, code)


def test_frame_over_max_frame_size(h):
    peer, proxy, tape, conn = open_raw_session(h, ["--max-frame-size", 1024])
    conn.send(F(OP_BINARY, b"\x01" * 2000))
    finish_and_check(h, peer, proxy, tape, conn, 1009)


def test_message_over_max_message_size(h):
    peer, proxy, tape, conn = open_raw_session(h, ["--max-message-size", 4096, "--max-frame-size", 4096])
    conn.send(F(OP_BINARY, b"\x01" * 3000, fin=False))
    conn.send(F(OP_CONT, b"\x02" * 3000))
    finish_and_check(h, peer, proxy, tape, conn, 1009)


def test_valid_edge_cases_pass(h):
    """Not violations: a UTF-8 character split across fragments, a 125-byte ping,
    a ping between fragments, an empty text message. All must get through."""
    peer, proxy, tape, conn = open_raw_session(h)
    conn.send(F(OP_TEXT, b"caf\xc3", fin=False))
    conn.send(F(OP_PING, b"x" * 125))
    conn.send(F(OP_CONT, b"\xa9!"))
    pong = conn.read_frame()
    assert pong["opcode"] == 0xA and pong["payload"] == b"x" * 125
    echo = conn.read_frame()
    assert echo["opcode"] == OP_TEXT and echo["payload"] == "café!".encode()
    conn.send(F(OP_TEXT, b""))
    echo = conn.read_frame()
    assert echo["opcode"] == OP_TEXT and echo["payload"] == b""
    conn.send(F(OP_CLOSE, close_payload(1000, "done")))
    close, _ = conn.read_until_close()
    assert close is not None and rawws.parse_close(close) == (1000, "done")
    conn.close()
    end = wait_log_close(peer)
    assert (end["code"], end["reason"]) == (1000, "done")
    assert [e.get("text") for e in read_log(peer.log) if e["type"] == "text"] == ["ok-before", "café!", ""]
    assert proxy.stop() == 0
    records = h.export(tape)
    assert kinds(records, "policy") == []
    texts = [m for m in kinds(records, "message") if m["from"] == "client" and m["opcode"] == "text"]
    assert [(m["text"], m["frames"]) for m in texts] == [("ok-before", 1), ("café!", 2), ("", 1)]


def test_masked_frame_from_server(h):
    raw = h.raw_server("masked")
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{raw.port}", record=tape)
    got = []
    with connect(f"ws://127.0.0.1:{proxy.port}/", compression=None, proxy=None,
                 ping_interval=None, open_timeout=15, close_timeout=15) as ws:
        with pytest.raises(ConnectionClosed):
            while True:
                got.append(ws.recv(timeout=15))
    assert got == []  # the masked message never reached the client
    assert ws.close_code in (1000, 1001)
    end = wait_log_close(raw)
    assert end["code"] == 1002
    assert proxy.stop() == 0
    records = h.export(tape)
    assert any(p["rule"] == "protocol" and p["action"] == "close" and p.get("from") == "server"
               for p in kinds(records, "policy"))
    assert any(c["by"] == "proxy" and c["code"] == 1002 for c in kinds(records, "close"))


def test_upstream_unreachable_gives_502(h):
    dead = free_port()  # nothing listens there
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{dead}", record=tape)
    conn, status, headers = rawws.client_handshake(proxy.port, "/nowhere")
    conn.close()
    assert status == 502
    assert proxy.stop() == 0
    closes = kinds(h.export(tape), "close")
    assert len(closes) == 1
    assert isinstance(closes[0]["error"], str) and closes[0]["error"].strip()
