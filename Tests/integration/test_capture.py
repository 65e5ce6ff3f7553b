"""Captures: tcpdump records real peers on lo, `import --format pcap` and `capture` turn the
packets into tapes, and each tape holds exactly what the peers sent and received."""
from __future__ import annotations

import base64
import json
import random
import re
import resource
import signal
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import PEERS, PYTHON, kinds, read_log, wait_for, wait_log_close
from test_tls import client_ctx, pki, talk  # noqa: F401 (pki is a fixture)
from test_transparency import CLOSE, PING, SENT, payload_of, run_client, whole

TCPDUMP = "/usr/bin/tcpdump"


# -- capturing -----------------------------------------------------------------------------

def tcpdump(h, port: int, path: Path, interface: str = "lo"):
    """tcpdump writing every packet of `port` to `path` as it comes (-U), full length."""
    # A 64 MiB kernel buffer (-B, KiB): the 4 MiB messages arrive in bursts faster than tcpdump writes.
    # --immediate-mode: packets reach tcpdump at once, not when a kernel block fills (SIGINT loses those).
    p = h.spawn("tcpdump", [TCPDUMP, "-i", interface, "--immediate-mode", "-B", "65536", "-w", path, "-U", "-s", "0", "-n",
                            f"tcp port {port}"])
    wait_for(lambda: "listening on" in p.stderr(), what=f"tcpdump to listen\n{p.describe()}")
    return p


def stop_tcpdump(p, path: Path):
    """Stops tcpdump once it has written everything: packets still in its buffer at SIGINT are lost."""
    sizes = []

    def settled():
        sizes.append(path.stat().st_size if path.exists() else 0)
        return len(sizes) > 5 and sizes[-1] == sizes[-6] > 0
    wait_for(settled, interval=0.1, what=f"tcpdump to write {path}")
    p.stop(signal.SIGINT)
    m = re.search(r"(\d+) packets? dropped by kernel", p.stderr())
    assert m and m.group(1) == "0", p.describe()


def import_pcap(h, capture: Path, *flags) -> tuple[Path, str]:
    tape = h.tmp / (capture.stem + ".tape")
    cp = h.cli("import", capture, "--format", "pcap", "-o", tape, *flags, check=True)
    return tape, cp.stdout_text


def payload(record: dict):
    """A message record's payload as bytes or text; a close as its code and reason on the wire."""
    if record["opcode"] == "close" and "base64" not in record:
        close = record["close"]
        return b"" if close["code"] is None else struct.pack("!H", close["code"]) + close["reason"].encode()
    return payload_of(record)


def messages(records: list[dict], session: str | None = None) -> list[tuple]:
    return [(r["from"], r["opcode"], payload(r)) for r in kinds(records, "message")
            if session is None or r["session"] == session]


def expected_echo_session(seen: dict) -> list[tuple]:
    """The messages of run_client's scenario, in order, as the tape must hold them."""
    out = []
    for sent, reply in zip(SENT, seen["replies"]):
        opcode = "text" if isinstance(whole(sent), str) else "binary"
        out += [("client", opcode, whole(sent)), ("server", opcode, reply)]
    out += [("client", "ping", PING), ("server", "pong", PING)]
    close_payload = struct.pack("!H", CLOSE[0]) + CLOSE[1].encode()
    out += [("client", "close", close_payload), ("server", "close", close_payload)]
    return out


def capture_echo(h, kind: str, compression):
    server = h.echo(kind, compression=bool(compression))
    pcap = h.tmp / f"{kind}.pcap"
    dump = tcpdump(h, server.port, pcap)
    seen = run_client(f"ws://127.0.0.1:{server.port}/chat?room=1", compression)
    wait_log_close(server)
    stop_tcpdump(dump, pcap)
    return server, seen, pcap


# -- pcap import -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind, compression", [
    ("python", False), ("python", True), ("python", "no-context-takeover"), ("node", True),
])
def test_an_imported_websocket_capture_holds_what_the_peers_exchanged(h, kind, compression):
    server, seen, pcap = capture_echo(h, kind, compression)
    tape, summary = import_pcap(h, pcap, "--port", server.port)
    assert "1 session(s)" in summary and "hole" not in summary, summary
    records = h.export(tape)
    opens = kinds(records, "open")
    assert len(opens) == 1 and opens[0]["request"]["target"] == "/chat?room=1", opens
    assert messages(records) == expected_echo_session(seen)
    # What the server logged it received is what the tape says the client sent.
    logged = [e for e in read_log(server.log) if e["type"] in ("text", "binary")]
    assert [m[2] for m in messages(records) if m[0] == "client" and m[1] in ("text", "binary")] == \
        [e["text"] if e["type"] == "text" else base64.b64decode(e["base64"]) for e in logged]
    compressed = [r["compressed"] for r in kinds(records, "message") if r["opcode"] in ("text", "binary")]
    assert all(compressed) == bool(compression) and any(compressed) == bool(compression)
    # The 1 MiB and 4 MiB messages crossed in many segments.
    assert int(re.search(r"(\d+) TCP segment", summary).group(1)) > 40
    close = kinds(records, "close")
    assert [(c["by"], c.get("code"), c.get("reason")) for c in close] == [("client", CLOSE[0], CLOSE[1])]


def rewrite_pcap(source: Path, target: Path, seed: int) -> int:
    """Copies a pcap with packets reordered and duplicated as networks do: within runs of
    packets travelling the same way (never past the other side's answer), in windows of 4, and
    every 5th packet twice. Returns how many packets were moved."""
    raw = source.read_bytes()
    header, body = raw[:24], raw[24:]
    packets = []
    while body:
        incl = struct.unpack("<I", body[8:12])[0]
        packets.append(body[:16 + incl])
        body = body[16 + incl:]

    def direction(packet: bytes) -> bytes:
        return packet[16 + 14 + 20:16 + 14 + 24]  # after Ethernet and IPv4: the TCP source and destination ports

    rng = random.Random(seed)
    out, moved, start = [], 0, 0
    while start < len(packets):
        end = start + 1
        while end < len(packets) and end - start < 4 and direction(packets[end]) == direction(packets[start]):
            end += 1
        window = packets[start:end]
        shuffled = window[:]
        rng.shuffle(shuffled)
        moved += sum(a != b for a, b in zip(window, shuffled))
        out += shuffled
        start = end
    out = [p for i, p in enumerate(out) for _ in range(2 if i % 5 == 0 else 1)]
    target.write_bytes(header + b"".join(out))
    return moved


def test_reordered_and_duplicated_segments_import_to_the_same_tape(h):
    server, seen, pcap = capture_echo(h, "python", False)
    disordered = h.tmp / "disordered.pcap"
    assert rewrite_pcap(pcap, disordered, seed=7) > 10
    tape, summary = import_pcap(h, disordered, "--port", server.port)
    assert "hole" not in summary, summary
    assert messages(h.export(tape)) == expected_echo_session(seen)


def test_a_missing_segment_is_a_recorded_hole_and_decoding_resumes(h):
    server, seen, pcap = capture_echo(h, "python", False)
    raw = pcap.read_bytes()
    header, body, packets = raw[:24], raw[24:], []
    while body:
        incl = struct.unpack("<I", body[8:12])[0]
        packets.append(body[:16 + incl])
        body = body[16 + incl:]
    # Drop the largest packet: a piece of the 4 MiB message.
    largest = max(range(len(packets)), key=lambda i: len(packets[i]))
    holed = h.tmp / "holed.pcap"
    holed.write_bytes(header + b"".join(p for i, p in enumerate(packets) if i != largest))
    tape, summary = import_pcap(h, holed, "--port", server.port)
    assert "1 hole(s)" in summary, summary
    records = h.export(tape)
    gaps = [r for r in kinds(records, "policy") if r["rule"] == "capture-gap"]
    assert len(gaps) == 1 and "not captured" in gaps[0]["detail"]
    got = messages(records)
    want = expected_echo_session(seen)
    # Exactly one message (the one the hole cut) is missing; everything else is there, in order.
    assert len(got) == len(want) - 1
    assert [m for m in want if m in got] == got


def test_pcapng_and_linux_cooked_captures_import_the_same(h):
    server = h.py_echo(compression=False)
    cooked = h.tmp / "any.pcap"
    dump = tcpdump(h, server.port, cooked, interface="any")
    seen = run_client(f"ws://127.0.0.1:{server.port}/chat", False)
    wait_log_close(server)
    stop_tcpdump(dump, cooked)
    ng = h.tmp / "any.pcapng"
    conv = subprocess.run(["editcap", "-F", "pcapng", cooked, ng], capture_output=True)
    assert conv.returncode == 0, conv.stderr
    assert ng.read_bytes()[:4] == b"\x0a\x0d\x0d\x0a"  # a pcapng section header block
    for capture in (cooked, ng):
        tape, summary = import_pcap(h, capture, "--port", server.port)
        assert messages(h.export(tape)) == expected_echo_session(seen), capture


@pytest.mark.parametrize("mode", ["upgrade", "polling"])
def test_a_socketio_session_imports_as_the_proxy_records_it(h, mode):
    server = h.spawn("sio", [PYTHON, PEERS / "sio_server.py", "--log", h.tmp / "sio.log"])
    server.log = h.tmp / "sio.log"
    server.wait_listening()
    proxy_tape = h.tape("proxy")
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=proxy_tape)
    pcap = h.tmp / "sio.pcap"
    dump = tcpdump(h, server.port, pcap)
    chat = h.spawn("chat", [PYTHON, PEERS / "sio_chat_session.py", f"http://127.0.0.1:{proxy.port}", mode])
    assert chat.wait(30) == 0, chat.describe()
    assert proxy.stop() == 0
    stop_tcpdump(dump, pcap)
    tape, summary = import_pcap(h, pcap, "--port", server.port)
    captured, recorded = h.export(tape), h.export(proxy_tape)

    def sessions(records):
        """Per Socket.io session: its transports, and each direction's messages in order."""
        out = []
        for o in kinds(records, "open"):
            if o.get("transport") != "polling":
                continue
            sid = o["session"]
            mine = [r for r in records if r["session"] == sid]
            out.append({
                "upgrades": [u["transport"] for u in kinds(mine, "upgrade")],
                "client": [(r.get("transport", "websocket"), r["opcode"], payload(r)) for r in kinds(mine, "message") if r["from"] == "client"],
                "server": [(r.get("transport", "websocket"), r["opcode"], payload(r)) for r in kinds(mine, "message") if r["from"] == "server"],
            })
        return out

    got, want = sessions(captured), sessions(recorded)
    assert len(want) == 2 and all(s["upgrades"] == (["websocket"] if mode == "upgrade" else []) for s in want)
    assert got == want
    # And the events the server logged are the ones on the tape.
    events_in = sorted(json.dumps([e["event"], e["args"]]) for e in read_log(server.log)
                       if e["dir"] == "in" and e["type"] in ("EVENT", "BINARY_EVENT"))
    assert len(events_in) >= 7
    assert all(any(json.loads(e)[0] in str(m[2]) for s in got for m in s["client"]) for e in events_in)


def test_tls_traffic_is_reported_not_decoded(h, pki):
    server = h.py_echo(compression=False, tls=(pki["cert"], pki["key"]))
    pcap = h.tmp / "tls.pcap"
    dump = tcpdump(h, server.port, pcap)
    assert talk(f"wss://127.0.0.1:{server.port}/chat", client_ctx(pki["ca"])) == ["secure hello", "secure ✓"]
    stop_tcpdump(dump, pcap)
    tape, summary = import_pcap(h, pcap, "--port", server.port)
    assert "0 session(s)" in summary, summary
    assert "TLS: the traffic is encrypted and cannot be decoded without its keys" in summary, summary


# -- bad input -----------------------------------------------------------------------------

def test_a_file_that_is_not_a_capture_is_refused_by_name(h):
    bogus = h.tmp / "notes.pcap"
    bogus.write_text("not a capture\n")
    out = h.tmp / "never.tape"
    cp = h.cli("import", bogus, "--format", "pcap", "-o", out)
    assert cp.returncode == 2 and str(bogus) in cp.stderr_text, cp.stderr_text
    assert not out.exists()


def limit_file_size(limit: int):
    """A preexec_fn: files the child writes may not grow past `limit` bytes, and a write past it
    fails with EFBIG instead of killing the child with SIGXFSZ (ignored signals survive exec)."""
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return apply


def test_a_tape_that_cannot_be_written_is_named_and_not_left_half_written(h):
    server, _, pcap = capture_echo(h, "python", False)
    tape = h.tmp / "too-big.tape"
    cp = h.cli("import", pcap, "--format", "pcap", "-o", tape, "--port", server.port,
               preexec_fn=limit_file_size(4096))
    assert cp.returncode == 2, cp.stderr_text
    assert f"-o {tape}: cannot write {tape}: File too large" in cp.stderr_text, cp.stderr_text
    assert not tape.exists()
    cp = h.cli("import", pcap, "--format", "pcap", "-o", "/dev/full", "--port", server.port)
    assert cp.returncode == 2 and "-o /dev/full: cannot write /dev/full: No space left on device" in cp.stderr_text, cp.stderr_text
    assert Path("/dev/full").is_char_device()


def test_a_capture_cut_mid_packet_imports_what_is_whole_and_says_so(h):
    server, seen, pcap = capture_echo(h, "python", False)
    cut = h.tmp / "cut.pcap"
    raw = pcap.read_bytes()
    cut.write_bytes(raw[: len(raw) - 100])
    tape = h.tmp / "cut.tape"
    cp = h.cli("import", cut, "--format", "pcap", "-o", tape, "--port", server.port)
    assert cp.returncode == 0, cp.stderr_text
    assert re.search(r"recovered: .*damaged after packet \d+", cp.stderr_text), cp.stderr_text
    got = messages(h.export(tape))
    want = expected_echo_session(seen)
    assert got == want[: len(got)] and len(got) >= len(want) - 2


def test_port_is_for_pcap_only(h):
    cp = h.cli("import", h.tmp / "x.jsonl", "--format", "jsonl", "-o", h.tmp / "x.tape", "--port", "80")
    assert cp.returncode == 2 and "--port applies to --format pcap only" in cp.stderr_text


# -- live capture ---------------------------------------------------------------------------

def test_live_capture_records_the_session_and_stops_sealed_on_sigint(h):
    server = h.py_echo(compression=True)
    tape = h.tmp / "live.tape"
    capture = h.spawn("capture", [h.bin, "capture", "--interface", "lo", "--port", server.port, "-o", tape])
    wait_for(lambda: "Ctrl-C stops" in capture.stderr(), what=f"the capture to start\n{capture.describe()}")
    seen = run_client(f"ws://127.0.0.1:{server.port}/live", True)
    wait_log_close(server)
    capture.signal(signal.SIGINT)
    assert capture.wait(30) == 0, capture.describe()
    out = "\n".join(capture.lines)
    assert re.search(r"kernel: \d+ received, 0 dropped", out), out
    assert "1 session(s)" in out, out
    assert messages(h.export(tape)) == expected_echo_session(seen)
    inspect = h.cli("inspect", tape, check=True).stdout_text
    assert "sealed" in inspect


def test_live_capture_errors_name_the_interface_and_the_filter(h):
    cp = h.cli("capture", "--interface", "nosuch0", "--port", "1", "-o", h.tmp / "x.tape")
    assert cp.returncode == 2 and "nosuch0" in cp.stderr_text, cp.stderr_text
    cp = h.cli("capture", "--interface", "lo", "--filter", "tcp port banana", "-o", h.tmp / "y.tape")
    assert cp.returncode == 2 and "tcp port banana" in cp.stderr_text, cp.stderr_text
    cp = h.cli("capture", "--interface", "lo", "-o", h.tmp / "z.tape")
    assert cp.returncode == 2 and "give --port or --filter" in cp.stderr_text


# -- round trip with pcap export ------------------------------------------------------------

@pytest.mark.parametrize("compression", [False, True])
def test_a_tape_exported_to_pcap_imports_back_to_the_same_messages(h, compression):
    server = h.py_echo(compression=compression)
    recorded = h.tape("recorded")
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=recorded)
    seen = run_client(f"ws://127.0.0.1:{proxy.port}/chat", compression)
    wait_log_close(server)
    assert proxy.stop() == 0
    pcap = h.tmp / "exported.pcap"
    h.cli("export", recorded, "--format", "pcap", "-o", pcap, check=True)
    tape, summary = import_pcap(h, pcap, "--port", server.port)
    assert "hole" not in summary, summary
    original, back = h.export(recorded), h.export(tape)
    assert messages(back) == messages(original) == expected_echo_session(seen)
    (opened,) = kinds(back, "open")
    assert opened["client"] == kinds(original, "open")[0]["client"]
    assert opened["request"]["target"] == "/chat"


def test_an_ipv6_capture_names_its_endpoints_in_brackets(h):
    log = h.tmp / "v6.log"
    server = h.spawn("py_echo_v6", [PYTHON, PEERS / "py_echo_server.py", "--host", "::1", "--log", log, "--compression", "none"])
    server.log = log
    port = int(server.wait_line(re.compile(r"^listening on ::1:(\d+)$")).group(1))
    pcap = h.tmp / "v6.pcap"
    dump = tcpdump(h, port, pcap)
    seen = run_client(f"ws://[::1]:{port}/v6", False)
    wait_log_close(server)
    stop_tcpdump(dump, pcap)
    tape, summary = import_pcap(h, pcap, "--port", port)
    records = h.export(tape)
    (opened,) = kinds(records, "open")
    assert opened["client"].startswith("[::1]:") and opened["upstream"] == f"ws://[::1]:{port}", opened
    assert messages(records) == expected_echo_session(seen)
