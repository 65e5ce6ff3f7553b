"""Backpressure: a client that reads nothing cannot grow the proxy's memory, and loses nothing."""
from __future__ import annotations

import select
import signal
import time
from pathlib import Path

from rawws import client_handshake, frame

PAYLOAD = bytes(range(256)) * 234 + b"\x00" * 96       # 60,000 bytes: a 16-bit length
FRAME = frame(2, PAYLOAD, key=b"\x00\x00\x00\x00")      # masked with a zero key: cheap to build
ECHO_FRAME_BYTES = 4 + len(PAYLOAD)                      # the server's unmasked echo
CAP = 512 * 1024 * 1024


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_client_that_reads_nothing_is_held_back_then_gets_everything(h):
    peer = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}")
    conn, status, _ = client_handshake(proxy.port, "/flood")
    assert status == 101
    sock = conn.sock
    sock.setblocking(False)
    sent = 0
    pending = b""
    stalled_since = None
    # Send without ever reading until the proxy stops taking bytes for 2 s (or the cap).
    while sent < CAP:
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
