"""Backpressure: a client that reads nothing, or a disk that takes nothing, cannot grow the proxy's
memory, and nothing is lost."""
from __future__ import annotations

import http.client
import json
import os
import re
import select
import signal
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from conftest import kinds
from rawws import client_handshake, frame
from test_policy import metric_values, scrape
from test_tape import ws_connect

PAYLOAD = bytes(range(256)) * 234 + b"\x00" * 96       # 60,000 bytes: a 16-bit length
FRAME = frame(2, PAYLOAD, key=b"\x00\x00\x00\x00")      # masked with a zero key: cheap to build
ECHO_FRAME_BYTES = 4 + len(PAYLOAD)                      # the server's unmasked echo
CAP = 512 * 1024 * 1024


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def send_until_held(sock, cap: int) -> tuple[int, bytes]:
    """Sends FRAMEs without ever reading until the proxy takes nothing for 2 s, or `cap` bytes
    went; returns how many bytes went and the rest of the frame being sent. Leaves `sock`
    non-blocking."""
    sock.setblocking(False)
    sent = 0
    pending = b""
    stalled_since = None
    while sent < cap:
        if not pending:
            pending = FRAME
        _, writable, _ = select.select([], [sock], [], 0.2)
        if not writable:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > 2:
                break
            continue
        stalled_since = None
        n = sock.send(pending)
        pending = pending[n:]
        sent += n
    return sent, pending


def test_client_that_reads_nothing_is_held_back_then_gets_everything(h):
    peer = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}")
    conn, status, _ = client_handshake(proxy.port, "/flood")
    assert status == 101
    sock = conn.sock
    sent, pending = send_until_held(sock, CAP)
    assert sent < CAP // 2, f"the proxy kept reading {sent} bytes from a client that reads nothing"
    rss = rss_kib(proxy.pid)
    print(f"held back after {sent} bytes; proxy RSS {rss} KiB")
    assert rss < 100 * 1024, "the proxy's memory grew with the unread data"

    # Now read: every whole frame sent comes back, none lost.
    sock.setblocking(True)
    sock.sendall(pending)
    frames_sent = (sent + len(pending)) // len(FRAME)
    received = len(conn.buf)
    deadline = time.monotonic() + 50
    sock.settimeout(5)
    while received < frames_sent * ECHO_FRAME_BYTES and time.monotonic() < deadline:
        chunk = sock.recv(1 << 20)
        assert chunk, "the proxy closed the connection"
        received += len(chunk)
    assert received == frames_sent * ECHO_FRAME_BYTES
    sock.close()
    assert proxy.stop(signal.SIGTERM) == 0


# -- the tape ---------------------------------------------------------------------------------

MESSAGE = bytes(range(256)) * 256  # 64 KiB
COUNT = 200                        # 12.5 MiB each way: three times what waits before reading stops


def stalled_tape(h):
    """A tape that is a pipe, read by a `cat` the test can stop (SIGSTOP): while it is stopped,
    the tape writer blocks in write(2), as on a hung disk. `cat` copies the tape to a file."""
    fifo = h.tmp / "stalled.tape"
    os.mkfifo(fifo)
    copy = h.tmp / "copy.tape"
    reader = h.spawn("tape_reader", ["sh", "-c", 'exec cat "$0" > "$1"', fifo, copy])
    return fifo, copy, reader


def admin_port(proxy) -> int:
    return int(next(l for l in proxy.lines if l.startswith("admin listening on")).rsplit(":", 1)[1])


def echoes_until_quiet(ws, quiet: float) -> int:
    """Echoes received until none comes for `quiet` seconds."""
    count = 0
    while True:
        try:
            assert ws.recv(timeout=quiet) == MESSAGE
        except TimeoutError:
            return count
        count += 1


def client_binaries(records) -> int:
    return sum(1 for m in kinds(records, "message") if m["from"] == "client" and m["opcode"] == "binary")


@contextmanager
def flood_through_a_stalled_tape(h, extra: list):
    """An echo session through a proxy that records to a stalled tape, with COUNT messages on
    their way from a sender thread. Yields the connection, the admin port and the tape's reader;
    after the block the reader goes on, the proxy stops and `flood.tape` is the tape's copy."""
    peer = h.py_echo(compression=False)
    fifo, copy, reader = stalled_tape(h)
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=fifo, extra=["--admin", "127.0.0.1:0", *extra])
    flood = SimpleNamespace(admin=admin_port(proxy), reader=reader, proxy=proxy, tape=copy)
    try:
        with ws_connect(f"ws://127.0.0.1:{proxy.port}/", compression=None, max_size=None) as ws:
            reader.signal(signal.SIGSTOP)
            sender = threading.Thread(target=lambda: [ws.send(MESSAGE) for _ in range(COUNT)])
            sender.start()
            flood.ws = ws
            yield flood
            sender.join(10)
            ws.close(1000, "")
    finally:
        reader.signal(signal.SIGCONT)
    assert proxy.stop() == 0
    assert reader.wait(15) == 0


def test_a_stalled_tape_slows_the_traffic_and_loses_nothing(h):
    """--when-tape-behind slow (the default): once half of --tape-queue waits for a disk that
    takes nothing, the proxy stops reading both sides, so the traffic waits too. When the disk
    takes bytes again, every message goes through and onto the tape: no gap."""
    # A 1 s idle timeout: a session the proxy holds for the tape is not idle.
    with flood_through_a_stalled_tape(h, ["--idle-timeout", 1]) as flood:
        stalled = echoes_until_quiet(flood.ws, quiet=2)
        metrics = metric_values(scrape(flood.admin, "/metrics")[1])
        print(f"{stalled} echoes while stalled; {metrics['sockettape_tape_unwritten_bytes']:.0f} bytes unwritten")
        # Behind at 4 MiB: what was being read then still lands, a read or so per side.
        assert stalled <= 40, f"{stalled} echoes went through while the tape took nothing"
        assert metrics["sockettape_tape_times_behind"] >= 1
        assert metrics["sockettape_tape_seconds_behind"] > 0
        assert metrics["sockettape_tape_unwritten_bytes"] <= 6 << 20
        assert metrics["sockettape_tape_records_dropped"] == 0

        flood.reader.signal(signal.SIGCONT)
        for _ in range(COUNT - stalled):
            assert flood.ws.recv(timeout=15) == MESSAGE
    records = h.export(flood.tape)
    assert kinds(records, "gap") == []
    assert client_binaries(records) == COUNT
    assert re.search(r"the tape writer fell behind \d+ time\(s\); reading paused for [\d.]+ s in all",
                     flood.proxy.stderr())


def test_when_tape_behind_drop_keeps_the_pace_and_marks_the_gap(h):
    """--when-tape-behind drop: a stalled disk does not slow the traffic; what does not fit
    --tape-queue is dropped, counted and marked by gap records."""
    with flood_through_a_stalled_tape(h, ["--when-tape-behind", "drop", "--tape-queue", "2M"]) as flood:
        for _ in range(COUNT):  # while the tape takes nothing
            assert flood.ws.recv(timeout=15) == MESSAGE
        metrics = metric_values(scrape(flood.admin, "/metrics")[1])
        assert metrics["sockettape_tape_times_behind"] == 0
        assert metrics["sockettape_tape_records_dropped"] > 0
    records = h.export(flood.tape)
    gaps = kinds(records, "gap")
    assert gaps and all(g["reason"] == "tape writer queue full (maxQueuedBytes 2097152)" for g in gaps)
    assert client_binaries(records) < COUNT
    dropped = re.search(r"(\d+) record\(s\) could not be written; the tape marks the gap", flood.proxy.stderr())
    assert dropped and int(dropped.group(1)) == sum(g["records"] for g in gaps)


def test_a_stalled_tape_holds_http_requests_until_it_catches_up(h):
    """Plain HTTP through a proxy whose tape takes nothing: once the writer is behind, the next
    request is not read; when the disk takes bytes again, every exchange completes and is recorded."""
    upstream = h.http_upstream()
    fifo, copy, reader = stalled_tape(h)
    # A 1 s idle timeout: a connection whose next request the proxy holds is not idle.
    proxy = h.proxy(f"http://127.0.0.1:{upstream.port}", record=fifo,
                    extra=["--idle-timeout", 1, "--admin", "127.0.0.1:0"])
    size = 1 << 20  # each response recorded whole: 4 of them put the writer behind
    done: list[int] = []

    def get_all():
        connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
        for i in range(12):
            connection.request("GET", f"/bytes/{size}")
            response = connection.getresponse()
            assert response.status == 200 and len(response.read()) == size
            done.append(i)
        connection.close()

    try:
        reader.signal(signal.SIGSTOP)
        client = threading.Thread(target=get_all)
        client.start()
        stalled = -1
        while stalled != len(done):  # until no exchange completes for 2 s
            stalled = len(done)
            time.sleep(2)
        # Four responses of 1 MiB put the writer behind (4 MiB); one more request may be read by then.
        assert 4 <= stalled <= 5, f"{stalled} exchanges went through while the tape took nothing"
        assert metric_values(scrape(admin_port(proxy), "/metrics")[1])["sockettape_tape_times_behind"] == 1
        reader.signal(signal.SIGCONT)
        client.join(30)
        assert done == list(range(12))
    finally:
        reader.signal(signal.SIGCONT)
    assert proxy.stop() == 0
    assert reader.wait(15) == 0
    records = h.export(copy)
    assert kinds(records, "gap") == []
    assert [r["request"]["target"] for r in kinds(records, "http")] == [f"/bytes/{size}"] * 12


# -- before the handshake is answered ------------------------------------------------------

def test_bytes_behind_an_unanswered_upgrade_request_are_not_read_without_bound(h):
    """RFC 6455 §4.1: a client sends nothing more until its handshake is answered. One that does
    is not read past a bound while the upstream has not answered, and the upstream's silence
    ends in a 504 as usual."""
    with socket.socket() as silent:                      # accepts (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        proxy = h.proxy(f"ws://127.0.0.1:{silent.getsockname()[1]}", extra=["--handshake-timeout", 8])
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=15)
        sock.sendall(b"GET /early HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        cap = 64 * 1024 * 1024
        sent, _ = send_until_held(sock, cap)
        assert sent < cap // 2, f"the proxy kept reading {sent} bytes sent before the handshake's answer"
        # The handshake timeout still ends it: a 504, unless closing on the unread bytes sent a
        # reset that overtook it.
        sock.setblocking(True)
        sock.settimeout(15)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer and (chunk := sock.recv(4096)):
                answer += chunk
        except ConnectionResetError:
            answer = answer or b"(reset)"
        assert answer.startswith(b"HTTP/1.1 504 ") or answer == b"(reset)", answer[:200]
        sock.close()
    assert proxy.stop(signal.SIGTERM) == 0, proxy.describe()
