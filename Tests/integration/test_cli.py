"""Bad flags, paths and input: exit code 2 and a first error line naming the culprit."""
from __future__ import annotations

import json
import re

import pytest

from conftest import free_port


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def assert_usage_error(cp, *names):
    assert cp.returncode == 2, f"rc {cp.returncode}\nstdout: {cp.stdout_text}\nstderr: {cp.stderr_text}"
    line = first_line(cp.stderr_text)
    assert line, "no error message on stderr"
    assert any(n in line for n in names), f"first stderr line {line!r} names none of {names}"
    assert "listening on" not in cp.stdout_text


@pytest.mark.parametrize("listen", ["nonsense", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:-1"])
def test_bad_listen(h, listen):
    cp = h.cli("proxy", "--listen", listen, "--upstream", "ws://127.0.0.1:1", timeout=30)
    assert_usage_error(cp, "--listen", listen)


@pytest.mark.parametrize("upstream", ["ftp://x", "nonsense", "http//127.0.0.1:1"])
def test_bad_upstream(h, upstream):
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", upstream, timeout=30)
    assert_usage_error(cp, "--upstream", upstream)


def test_missing_upstream(h):
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", timeout=30)
    assert_usage_error(cp, "--upstream", "upstream")


@pytest.mark.parametrize("flag", ["--max-frame-size", "--flush-interval", "--idle-timeout"])
def test_bad_numeric_flag(h, flag):
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", f"ws://127.0.0.1:{free_port()}",
               flag, "lots", timeout=30)
    assert_usage_error(cp, flag, "lots")


@pytest.mark.parametrize("size", ["1M", "2G"])
def test_tape_queue_out_of_range(h, size):
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", f"ws://127.0.0.1:{free_port()}",
               "--tape-queue", size, timeout=30)
    assert_usage_error(cp, "--tape-queue", size)


def test_when_tape_behind_takes_slow_or_drop(h):
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", f"ws://127.0.0.1:{free_port()}",
               "--when-tape-behind", "wait", timeout=30)
    assert_usage_error(cp, "--when-tape-behind", "wait")
    assert "slow" in cp.stderr_text and "drop" in cp.stderr_text


def test_tls_cert_without_key(h, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("not a cert\n")
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:1",
               "--tls-cert", cert, timeout=30)
    assert_usage_error(cp, "--tls-key", "--tls-cert")


def test_record_into_missing_directory(h, tmp_path):
    bad = tmp_path / "no" / "such" / "dir" / "x.tape"
    cp = h.cli("proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:1",
               "--record", bad, timeout=30)
    assert_usage_error(cp, str(bad), "x.tape")


def test_inspect_missing_file(h, tmp_path):
    missing = tmp_path / "missing.tape"
    assert_usage_error(h.cli("inspect", missing), str(missing), "missing.tape")


def test_inspect_not_a_tape(h, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello, this is not a tape\n" * 10)
    assert_usage_error(h.cli("inspect", junk), str(junk), "notes.txt")


def test_export_not_a_tape(h, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    assert_usage_error(h.cli("export", junk, "--format", "jsonl"), str(junk), "junk.bin")


def test_export_unknown_format(h, tmp_path):
    junk = tmp_path / "x.tape"
    junk.write_bytes(b"")
    assert_usage_error(h.cli("export", junk, "--format", "yaml"), "--format", "yaml")


OPEN = {"kind": "open", "session": "S", "ts": "2026-11-26T12:00:00.000001Z", "t": 0.0,
        "client": "127.0.0.1:51000", "transport": "websocket",
        "request": {"method": "GET", "target": "/chat", "headers": [["Host", "example"]]},
        "response": {"status": 101, "headers": []}}
MSG = {"kind": "message", "session": "S", "ts": "2026-11-26T12:00:00.100000Z", "t": 0.1,
       "from": "client", "opcode": "text", "text": "hello", "frames": 1, "compressed": False}


@pytest.mark.parametrize("bad", ['{"kind":"message",', "not json at all",
                                 json.dumps({**MSG, "from": "nobody"}),
                                 json.dumps({**MSG, "opcode": "binary", "text": None, "base64": "!!!"})],
                         ids=["truncated", "garbage", "bad-from", "bad-base64"])
def test_import_bad_line_names_line_number(h, tmp_path, bad):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(OPEN) + "\n" + json.dumps(MSG) + "\n" + bad + "\n" + json.dumps(MSG) + "\n")
    out = tmp_path / "out.tape"
    cp = h.cli("import", src, "--format", "jsonl", "-o", out)
    assert cp.returncode == 2, cp.stderr_text
    line = first_line(cp.stderr_text)
    assert re.search(r"(line\s*3\b|:3\b)", line), line


def test_import_good_jsonl(h, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(OPEN) + "\n" + json.dumps(MSG) + "\n")
    out = tmp_path / "out.tape"
    h.cli("import", src, "--format", "jsonl", "-o", out, check=True)
    recs = h.export(out)
    msgs = [r for r in recs if r["kind"] == "message"]
    assert [(m["from"], m["opcode"], m["text"]) for m in msgs] == [("client", "text", "hello")]
    assert [r["kind"] for r in recs][0] == "open"


def test_unknown_subcommand(h):
    cp = h.cli("frobnicate")
    assert cp.returncode == 2
    assert "frobnicate" in first_line(cp.stderr_text)
