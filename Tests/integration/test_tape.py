"""The tape: crash safety, round trips through JSON Lines, redaction, queries."""
from __future__ import annotations

import base64
import json
import re
import signal
import time

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import kinds, parse_jsonl, read_log, tape_bytes, wait_log_close

RECOVERED = re.compile(r"recover|not sealed|unsealed|torn|truncat|incomplete", re.I)


def ws_connect(url, **kw):
    kw.setdefault("proxy", None)
    kw.setdefault("ping_interval", None)
    kw.setdefault("open_timeout", 15)
    kw.setdefault("close_timeout", 15)
    return connect(url, **kw)


def test_kill_9_keeps_a_readable_prefix(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--flush-interval", 50])
    sent: list[str] = []
    acked_at: list[float] = []
    batch = 20
    killed_at = None
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/stream") as ws:
        try:
            for b in range(100):  # at most 2000 messages
                msgs = [f"msg-{b * batch + i:05d}" for i in range(batch)]
                for m in msgs:
                    ws.send(m)
                    sent.append(m)
                if b == 60:
                    # a batch is in flight: crash now
                    proxy.signal(signal.SIGKILL)
                    killed_at = time.monotonic()
                    break
                for m in msgs:
                    assert ws.recv(timeout=15) == m
                    acked_at.append(time.monotonic())
                if b == 50:
                    time.sleep(1.0)  # everything so far is well older than the flush interval
        except ConnectionClosed:
            pass
    assert killed_at is not None
    assert proxy.wait(15) == -signal.SIGKILL

    ins = h.cli("inspect", tape)
    assert ins.returncode == 0, ins.stderr_text
    assert RECOVERED.search(ins.stdout_text + ins.stderr_text), ins.stdout_text

    records = h.export(tape)
    client = [m["text"] for m in kinds(records, "message") if m["from"] == "client"]
    server = [m["text"] for m in kinds(records, "message") if m["from"] == "server"]
    assert client == sent[:len(client)], "client messages on the tape are not a prefix of what was sent"
    assert server == sent[:len(server)]
    old = sum(1 for t in acked_at if t < killed_at - 0.5)
    assert old >= 51 * batch
    assert len(client) >= old and len(server) >= old, (len(client), len(server), old)


def make_session_tape(h, extra=(), headers=None):
    """A short session with text, binary, fragments, ping and a close; returns (tape, peer)."""
    peer = h.py_echo(subprotocols=("chat",))
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=list(extra))
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/room?x=1", subprotocols=["chat"],
                    additional_headers=headers) as ws:
        for m in ["foo one", b"\x00\x01bin", "bar", ["fo", "od"], "ü\u2603 foo"]:
            ws.send(m)
            ws.recv(timeout=15)
        assert ws.ping(b"pp").wait(15)
        ws.close(1000, "bye")
    wait_log_close(peer)
    assert proxy.stop() == 0, proxy.describe()
    return tape, peer


def test_export_import_export_is_identical(h):
    tape, _ = make_session_tape(h)
    first = h.cli("export", tape, "--format", "jsonl", check=True).stdout_text
    assert len(parse_jsonl(first)) >= 14
    jsonl = h.tmp / "session.jsonl"
    jsonl.write_text(first)
    tape2 = h.tmp / "reimported.tape"
    h.cli("import", jsonl, "--format", "jsonl", "-o", tape2, check=True)
    second = h.cli("export", tape2, "--format", "jsonl", check=True).stdout_text
    assert second == first
    # -o writes the same thing to a file
    out = h.tmp / "again.jsonl"
    h.cli("export", tape2, "--format", "jsonl", "-o", out, check=True)
    assert out.read_text() == first


SECRETS = {"Authorization": "Bearer s3cr3t-token-AAA", "Cookie": "session=c00kie-BBB",
           "X-Secret": "x-secret-CCC"}


def open_headers(records):
    (op,) = kinds(records, "open")
    return {k.lower(): v for k, v in op["request"]["headers"]}


def test_redaction_default(h):
    tape, peer = make_session_tape(h, headers=SECRETS)
    raw = tape_bytes(tape)
    exported = h.cli("export", tape, "--format", "jsonl", check=True).stdout_text
    for name in ("Authorization", "Cookie"):
        assert SECRETS[name].encode() not in raw
        assert SECRETS[name] not in exported
    hdrs = open_headers(parse_jsonl(exported))
    assert "authorization" in hdrs and "cookie" in hdrs  # the names stay, the values go
    assert hdrs["x-secret"] == SECRETS["X-Secret"]  # not redacted unless asked
    # the upstream still got the real values
    seen = {k.lower(): v for k, v in read_log(peer.log)[0]["headers"]}
    assert seen["authorization"] == SECRETS["Authorization"]
    assert seen["cookie"] == SECRETS["Cookie"]


def test_no_redact(h):
    tape, _ = make_session_tape(h, extra=["--no-redact"], headers=SECRETS)
    hdrs = open_headers(h.export(tape))
    assert hdrs["authorization"] == SECRETS["Authorization"]
    assert hdrs["cookie"] == SECRETS["Cookie"]


def test_custom_redact_header(h):
    tape, peer = make_session_tape(h, extra=["--redact", "X-Secret"], headers=SECRETS)
    assert SECRETS["X-Secret"].encode() not in tape_bytes(tape)
    hdrs = open_headers(h.export(tape))
    assert "x-secret" in hdrs and hdrs["x-secret"] != SECRETS["X-Secret"]
    seen = {k.lower(): v for k, v in read_log(peer.log)[0]["headers"]}
    assert seen["x-secret"] == SECRETS["X-Secret"]


def parse_json_output(text: str) -> list[dict]:
    text = text.strip()
    try:
        doc = json.loads(text)
        return doc if isinstance(doc, list) else [doc]
    except json.JSONDecodeError:
        return parse_jsonl(text)


def test_inspect_messages_filters(h):
    tape, _ = make_session_tape(h)
    cp = h.cli("inspect", tape, "messages", "--from", "client", "--grep", "foo", "--json", check=True)
    got = parse_json_output(cp.stdout_text)
    assert [m["text"] for m in got] == ["foo one", "food", "ü\u2603 foo"]
    assert all(m["from"] == "client" for m in got)
    cp = h.cli("inspect", tape, "messages", "--from", "server", "--json", check=True)
    got = parse_json_output(cp.stdout_text)
    assert [(m["opcode"], m["text"] if m["opcode"] == "text" else base64.b64decode(m["base64"]))
            for m in got[:-1]] == [
        ("text", "foo one"), ("binary", b"\x00\x01bin"), ("text", "bar"), ("text", "food"),
        ("text", "ü\u2603 foo"), ("pong", b"pp")]
    assert got[-1]["opcode"] == "close" and got[-1]["close"] == {"code": 1000, "reason": "bye"}
    summary = h.cli("inspect", tape, check=True).stdout_text
    assert summary.strip()
    assert not RECOVERED.search(summary)


def test_inspect_follow_sees_messages_live_and_ends_when_sealed(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--flush-interval", 20])
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/live") as ws:
        ws.send("first")
        assert ws.recv(timeout=15) == "first"
        follow = h.spawn("follow", [h.bin, "inspect", tape, "messages", "--from", "client", "--json", "--follow"])
        got = json.loads(follow.wait_line(re.compile(r"^\{.*\}$"), timeout=15).group(0))
        assert got["text"] == "first"
        ws.send("second, while following")
        assert ws.recv(timeout=15) == "second, while following"
        got = json.loads(follow.wait_line(re.compile(r"^\{.*\}$"), timeout=15).group(0))
        assert got["text"] == "second, while following"
        ws.close(1000, "")
    assert proxy.stop() == 0
    assert follow.wait(15) == 0, follow.describe()


def test_rotation_keeps_every_message(h):
    peer = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--max-tape-size", 16384])
    sent = [f"{i:04d} " + "r" * 1000 for i in range(100)]
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/", compression=None) as ws:
        for m in sent:
            ws.send(m)
            assert ws.recv(timeout=15) == m
        ws.close(1000, "")
    assert proxy.stop() == 0
    assert len(tape_bytes(tape)) > 2 * 100 * 1000  # both directions are on disk
    records = h.export(tape)
    assert kinds(records, "gap") == []
    assert [m["text"] for m in kinds(records, "message") if m["from"] == "client" and m["opcode"] == "text"] == sent
    assert [m["text"] for m in kinds(records, "message") if m["from"] == "server" and m["opcode"] == "text"] == sent


def test_tape_queue_bounds_what_waits_for_the_writer(h):
    """A record larger than --tape-queue cannot wait for the writer: it is dropped, counted on
    stderr and by a gap record in its place, while the relay goes on and later records are kept."""
    peer = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape,
                    extra=["--tape-queue", "2M", "--flush-interval", 50])
    big = bytes(range(256)) * (3 * 4096)  # 3 MiB
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/", compression=None, max_size=None) as ws:
        ws.send("before")
        assert ws.recv(timeout=15) == "before"
        ws.send(big)
        assert ws.recv(timeout=30) == big
        time.sleep(0.5)  # the writer takes the queue every 50 ms; records after the drop wait for that
        ws.send("after")
        assert ws.recv(timeout=15) == "after"
        ws.close(1000, "")
    assert proxy.stop() == 0
    records = h.export(tape)
    messages = kinds(records, "message")
    assert [(m["from"], m["text"]) for m in messages if m["opcode"] == "text"] == [
        ("client", "before"), ("server", "before"), ("client", "after"), ("server", "after")]
    assert [m for m in messages if m["opcode"] == "binary"] == []
    gaps = kinds(records, "gap")
    assert gaps and all(g["reason"] == "tape writer queue full (maxQueuedBytes 2097152)" for g in gaps)
    assert sum(g["records"] for g in gaps) >= 2  # the message each way
    assert "could not be written; the tape marks the gap" in proxy.stderr()


def test_fsync_recording_is_complete_and_sealed(h):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape, extra=["--fsync", "--flush-interval", 20])
    sent = [f"synced {i}" for i in range(50)]
    with ws_connect(f"ws://127.0.0.1:{proxy.port}/sync") as ws:
        for text in sent:
            ws.send(text)
            assert ws.recv(timeout=15) == text
    assert proxy.stop(signal.SIGINT) == 0
    records = h.export(tape)
    got = [m["text"] for m in kinds(records, "message") if m["from"] == "client" and m["opcode"] == "text"]
    assert got == sent
    assert "sealed" in h.cli("inspect", tape, check=True).stdout_text
