"""Reading a tape while it is written (--follow) and rotating it by size (--max-tape-size)."""
from __future__ import annotations

import json
import re
import signal

from websockets.sync.client import connect

from conftest import kinds

MESSAGE_LINE = re.compile(r"^\{")


def ws_connect(url):
    return connect(url, proxy=None, ping_interval=None, open_timeout=15, close_timeout=15)


def test_follow_prints_messages_live_and_ends_at_the_seal(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--flush-interval", 20])
    follower = h.spawn("follower", [h.bin, "inspect", tape, "messages", "--from", "client",
                                    "--json", "--follow"])
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/live") as ws:
        ws.send("first live message")
        assert ws.recv(timeout=15) == "first live message"
        # The follower shows it while the proxy still runs and the session is still open.
        line = follower.wait_line(MESSAGE_LINE, timeout=15)
        first = json.loads(line.string)
        assert first["text"] == "first live message" and first["from"] == "client"
        assert proxy.running() and follower.running()
        ws.send("second live message")
        assert ws.recv(timeout=15) == "second live message"
        second = json.loads(follower.wait_line(MESSAGE_LINE, timeout=15).string)
        assert second["text"] == "second live message"
    assert proxy.stop(signal.SIGINT) == 0
    # The seal ends the follower by itself, after the client's close message.
    assert follower.wait(15) == 0
    texts = [json.loads(l)["text"] for l in follower.lines if l.startswith("{") and "text" in json.loads(l)]
    assert texts == ["first live message", "second live message"]


def test_max_tape_size_rotates_and_export_reads_every_segment(h):
    peer = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--max-tape-size", "4K"])
    sent = [f"rotating message {i:04d} " + "x" * 200 for i in range(120)]
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/rotate") as ws:
        for text in sent:
            ws.send(text)
            assert ws.recv(timeout=15) == text
    assert proxy.stop(signal.SIGINT) == 0
    segments = sorted(p.name for p in tape.parent.iterdir() if p.name.startswith(tape.name))
    assert len(segments) > 3, segments
    assert tape.with_name(tape.name + ".1").exists()
    records = h.export(tape)
    client_texts = [m["text"] for m in kinds(records, "message")
                    if m["from"] == "client" and m["opcode"] == "text"]
    assert client_texts == sent
    assert len(kinds(records, "close")) == 1
    summary = h.cli("inspect", tape, check=True).stdout_text
    assert "sealed" in summary and "recovered" not in summary
