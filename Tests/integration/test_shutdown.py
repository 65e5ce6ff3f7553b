"""SIGINT/SIGTERM: stop accepting, close open sessions with 1001 after the drain
timeout, seal the tape, exit 0."""
from __future__ import annotations

import signal
import socket
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import kinds, wait_for, wait_log_close
from test_tape import RECOVERED


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_closes_sessions_with_1001_and_seals(h, sig):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--drain-timeout", 1])
    with connect(f"ws://127.0.0.1:{proxy.port}/", proxy=None, ping_interval=None,
                 open_timeout=15, close_timeout=15) as ws:
        ws.send("before shutdown")
        assert ws.recv(timeout=15) == "before shutdown"
        proxy.signal(sig)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=20)
    assert ws.close_code == 1001
    assert proxy.wait(20) == 0, proxy.describe()
    assert wait_log_close(peer)["code"] == 1001

    ins = h.cli("inspect", tape)
    assert ins.returncode == 0, ins.stderr_text
    assert not RECOVERED.search(ins.stdout_text), ins.stdout_text
    records = h.export(tape)
    assert [m["text"] for m in kinds(records, "message") if m["opcode"] == "text"] \
        == ["before shutdown", "before shutdown"]
    closes = kinds(records, "close")
    assert len(closes) == 1 and closes[0]["by"] == "proxy" and closes[0]["code"] == 1001


def refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True


def test_stops_accepting_but_drains_open_sessions(h):
    peer = h.py_echo()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", extra=["--drain-timeout", 8])
    with connect(f"ws://127.0.0.1:{proxy.port}/", proxy=None, ping_interval=None,
                 open_timeout=15, close_timeout=15) as ws:
        proxy.signal(signal.SIGTERM)
        wait_for(lambda: refused(proxy.port), timeout=5, what="the listener to close")
        # the open session still works while draining
        ws.send("during drain")
        assert ws.recv(timeout=5) == "during drain"
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=20)
    assert ws.close_code == 1001
    assert proxy.wait(20) == 0


def test_idle_proxy_exits_at_once_on_sigterm(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape)
    assert proxy.stop(signal.SIGTERM, timeout=10) == 0
    ins = h.cli("inspect", tape)
    assert ins.returncode == 0, ins.stderr_text
    assert not RECOVERED.search(ins.stdout_text)


def test_signal_right_after_ready_line_is_not_lost(h):
    """A signal that arrives just after the ready line must still shut down cleanly
    (the handlers are in place before the line is printed)."""
    peer = h.py_echo()
    for i in range(10):
        sig = signal.SIGTERM if i % 2 else signal.SIGINT
        tape = h.tape(f"race{i}")
        proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, name=f"proxy{i}")
        proxy.signal(sig)
        assert proxy.wait(10) == 0, proxy.describe()
        ins = h.cli("inspect", tape)
        assert ins.returncode == 0 and not RECOVERED.search(ins.stdout_text), ins.stdout_text
