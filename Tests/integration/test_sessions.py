"""Sessions: several at once stay apart on the tape; refused upgrades pass
through; --frames lists every frame; timeouts end stuck connections."""
from __future__ import annotations

import signal
import socket
import threading
import time
from collections import Counter

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

import rawws
from conftest import kinds, read_log


def ws_connect(url, **kw):
    for k, v in dict(proxy=None, ping_interval=None, open_timeout=15, close_timeout=15).items():
        kw.setdefault(k, v)
    return connect(url, **kw)


def test_concurrent_sessions_are_kept_apart(h):
    peer = h.node_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    n_clients, n_msgs = 6, 40
    errors: list[BaseException] = []
    barrier = threading.Barrier(n_clients)

    def client(c: int):
        try:
            with ws_connect(f"ws://127.0.0.1:{proxy.port}/c{c}") as ws:
                barrier.wait(timeout=15)
                for i in range(n_msgs):
                    m = f"client {c} message {i}"
                    ws.send(m)
                    assert ws.recv(timeout=15) == m
                ws.close(1000, f"client {c} done")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=client, args=(c,)) for c in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=45)
    assert not errors, errors
    assert proxy.stop() == 0
    records = h.export(tape)
    opens = kinds(records, "open")
    assert len(opens) == n_clients
    by_target = {o["request"]["target"]: o["session"] for o in opens}
    assert sorted(by_target) == sorted(f"/c{c}" for c in range(n_clients))
    assert len(set(by_target.values())) == n_clients
    for c in range(n_clients):
        sid = by_target[f"/c{c}"]
        mine = [r for r in kinds(records, "message") if r["session"] == sid]
        texts = [(r["from"], r["text"]) for r in mine if r["opcode"] == "text"]
        want = []
        for i in range(n_msgs):
            want += [("client", f"client {c} message {i}"), ("server", f"client {c} message {i}")]
        assert texts == want
        closes = [r for r in kinds(records, "close") if r["session"] == sid]
        assert len(closes) == 1 and closes[0]["by"] == "client" and closes[0]["reason"] == f"client {c} done"


def test_refused_upgrade_passes_through(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    conn, status, headers = rawws.client_handshake(proxy.port, "/forbidden/x")
    assert status == 403
    body = conn.read_exact(int(rawws.header(headers, "Content-Length")), time.monotonic() + 10)
    conn.close()
    assert body == b"no entry\n"
    assert [e["type"] for e in read_log(peer.log)] == ["refused"]
    with pytest.raises(InvalidStatus) as exc:
        with ws_connect(f"ws://127.0.0.1:{proxy.port}/forbidden/y"):
            pass
    assert exc.value.response.status_code == 403
    assert proxy.stop() == 0
    records = h.export(tape)
    assert kinds(records, "message") == []
    statuses = [o["response"]["status"] for o in kinds(records, "open")] + \
               [r["response"]["status"] for r in kinds(records, "http")]
    assert statuses == [403, 403]


def test_a_refused_upgrade_ends_its_connection_instead_of_leaving_it_unread(h):
    """After a request that asks for an upgrade, the proxy reads no more HTTP on its connection
    (nor does NIO's decoder): a refusal that kept the connection alive would leave the client's
    next request unanswered until the idle timeout. The refusal says `Connection: close`."""
    peer = h.py_echo()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", extra=["--idle-timeout", "60"])
    conn, status, headers = rawws.client_handshake(proxy.port, "/forbidden/x")
    assert status == 403
    assert (rawws.header(headers, "Connection") or "").lower() == "close"
    body = conn.read_exact(int(rawws.header(headers, "Content-Length")), time.monotonic() + 10)
    assert body == b"no entry\n"
    conn.send(b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
    started = time.monotonic()
    assert conn.read_exact(1, started + 10) is None
    assert time.monotonic() - started < 5
    conn.close()
    assert proxy.stop(signal.SIGTERM) == 0


def test_export_frames(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/") as ws:
        ws.send(["a", "b", "c"])  # 4 frames: 3 items + empty final frame
        ws.recv(timeout=15)
        ws.send(b"\x01\x02")
        ws.recv(timeout=15)
        ws.close(1000, "")
    assert proxy.stop() == 0
    plain = h.export(tape)
    assert kinds(plain, "frame") == []
    with_frames = h.export(tape, frames=True)
    msgs = kinds(with_frames, "message")
    assert [r for r in with_frames if r["kind"] != "frame"] == plain
    frames = kinds(with_frames, "frame")
    want = Counter()
    for m in msgs:
        want[m["from"]] += m["frames"]
    assert Counter(f["from"] for f in frames) == want
    assert sum(m["frames"] for m in msgs if m["from"] == "client") == 4 + 1 + 1


def test_handshake_timeout_drops_silent_connection(h):
    peer = h.py_echo()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", extra=["--handshake-timeout", 1])
    s = socket.create_connection(("127.0.0.1", proxy.port), timeout=15)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finishes the head
    s.settimeout(15)
    data = b""
    try:
        while chunk := s.recv(4096):
            data += chunk
    except ConnectionResetError:
        pass
    s.close()
    # the proxy hung up (EOF or reset) within the test's bound; a 408 before that is fine
    assert data == b"" or data.startswith(b"HTTP/1.1 408"), data
    assert read_log(peer.log) == []
    assert proxy.stop(signal.SIGTERM) == 0, proxy.describe()   # the unfinished head was dropped, not crashed on


def test_an_upstream_that_never_answers_the_handshake_gets_the_client_a_504(h):
    with socket.socket() as silent:                      # accepts (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        tape = h.tape()
        proxy = h.proxy(f"ws://127.0.0.1:{silent.getsockname()[1]}", record=tape, extra=["--handshake-timeout", 1])
        s = socket.create_connection(("127.0.0.1", proxy.port), timeout=15)
        s.sendall(b"GET /quiet HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
        s.close()
        assert answer.startswith(b"HTTP/1.1 504 Gateway Timeout\r\n"), answer
        assert answer.endswith(b"\r\n\r\nsockettape: upstream did not answer the WebSocket handshake within 1 s\n"), answer
    assert proxy.stop(signal.SIGTERM) == 0, proxy.describe()
    closes = kinds(h.export(tape), "close")
    assert [c.get("error") for c in closes] == ["upstream did not answer the WebSocket handshake within 1 s"], closes


def test_idle_timeout_closes_idle_session(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--idle-timeout", 1])
    conn, status, _ = rawws.client_handshake(proxy.port)
    assert status == 101
    close, others = conn.read_until_close(timeout=20)
    conn.close()
    assert others == []
    assert close is not None, "proxy hung up without a close frame"
    code, _ = rawws.parse_close(close)
    assert code in (1000, 1001)
    assert proxy.stop() == 0
    closes = kinds(h.export(tape), "close")
    assert len(closes) == 1 and closes[0]["by"] == "proxy"
