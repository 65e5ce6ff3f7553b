"""Fixtures for SocketTape integration tests.

Every peer (echo servers, raw servers, HTTP upstreams) and the proxy run as real
subprocesses on 127.0.0.1. Each one announces readiness with a line
``listening on 127.0.0.1:PORT`` on stdout (servers bind port 0 themselves, so no
fixed ports and no races). Everything started here is stopped by PID at teardown,
also when the test failed or timed out.
"""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal as sig_mod
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Fixtures"
PEERS = FIXTURES / "peers"
PYTHON = sys.executable
NODE = shutil.which("node") or shutil.which("nodejs") or "node"

LISTENING = re.compile(r"^listening on (127\.0\.0\.1|localhost):(\d+)$")

# Environment for every child: no HTTP proxies from the surroundings.
CHILD_ENV = {k: v for k, v in os.environ.items()
             if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}


def free_port() -> int:
    """A port nobody listens on right now (bind port 0, read it, close)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_binary() -> Path:
    env = os.environ.get("SOCKETTAPE_BIN")
    if env:
        return Path(env)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=True)
    return Path(out.stdout.strip()) / "sockettape"


def clip(text: str, head: int = 3000, tail: int = 1500) -> str:
    if len(text) <= head + tail:
        return text
    return text[:head] + f"\n[... {len(text) - head - tail} chars ...]\n" + text[-tail:]


class Proc:
    """A child process whose stdout lines are collected by a reader thread."""

    def __init__(self, name: str, argv: list[str], workdir: Path, env: dict | None = None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.stderr_path = workdir / f"{name}.{os.getpid()}.{id(self)}.stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.popen = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=self._stderr, env=env or CHILD_ENV, start_new_session=True)
        self.pid = self.popen.pid
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port: int | None = None

    def _read(self) -> None:
        for raw in self.popen.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def stderr(self) -> str:
        # the child writes to the file itself; nothing of ours to flush
        return self.stderr_path.read_text(errors="replace")

    def describe(self) -> str:
        return (f"{self.name} (pid {self.pid}, rc {self.popen.poll()}): {' '.join(self.argv)}\n"
                f"stdout: {self.lines[-20:]}\nstderr: {clip(self.stderr())}")

    def wait_line(self, pattern: re.Pattern, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line matching {pattern.pattern!r} within {timeout}s\n"
                                     + self.describe())
            try:
                line = self._queue.get(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"exited before printing {pattern.pattern!r}\n" + self.describe())
            m = pattern.match(line)
            if m:
                return m

    def wait_listening(self, timeout: float = 30) -> int:
        m = self.wait_line(LISTENING, timeout)
        self.port = int(m.group(2))
        return self.port

    def running(self) -> bool:
        return self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.running():
            os.kill(self.pid, sig)

    def wait(self, timeout: float = 30) -> int:
        rc = self.popen.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return rc

    def stop(self, sig: int = sig_mod.SIGTERM, timeout: float = 10) -> int:
        """Signal by PID, wait (bounded), SIGKILL if still alive. Returns the exit code."""
        if self.running():
            try:
                os.kill(self.pid, sig)
                return self.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, sig_mod.SIGKILL)
        return self.wait(10)


class Harness:
    """Starts peers and the proxy for one test; stops them all at teardown."""

    def __init__(self, tmp_path: Path, binary: Path):
        self.tmp = tmp_path
        self.bin = binary
        self.procs: list[Proc] = []

    # -- generic ---------------------------------------------------------
    def spawn(self, name: str, argv: list, env: dict | None = None) -> Proc:
        p = Proc(name, argv, self.tmp, env)
        self.procs.append(p)
        return p

    def teardown(self) -> None:
        for p in reversed(self.procs):
            if p.running():
                try:
                    p.stop(sig_mod.SIGTERM, timeout=5)
                except Exception:
                    if p.running():
                        os.kill(p.pid, sig_mod.SIGKILL)
            try:
                p._stderr.close()
            except Exception:
                pass

    # -- peers -------------------------------------------------------------
    def py_echo(self, compression: bool = True, subprotocols: tuple[str, ...] = (),
                tls: tuple[Path, Path] | None = None, name: str = "py_echo") -> Proc:
        log = self.tmp / f"{name}.{len(self.procs)}.log"
        argv = [PYTHON, PEERS / "py_echo_server.py", "--log", log,
                "--compression", "deflate" if compression else "none"]
        for s in subprotocols:
            argv += ["--subprotocol", s]
        if tls:
            argv += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        p = self.spawn(name, argv)
        p.log = log
        p.wait_listening()
        return p

    def node_echo(self, compression: bool = True, subprotocols: tuple[str, ...] = (),
                  name: str = "node_echo") -> Proc:
        log = self.tmp / f"{name}.{len(self.procs)}.log"
        argv = [NODE, PEERS / "ws_echo_server.js", "--log", log,
                "--compression", "deflate" if compression else "none"]
        for s in subprotocols:
            argv += ["--subprotocol", s]
        p = self.spawn(name, argv)
        p.log = log
        p.wait_listening()
        return p

    def echo(self, kind: str, **kw) -> Proc:
        return {"python": self.py_echo, "node": self.node_echo}[kind](**kw)

    def raw_server(self, mode: str) -> Proc:
        log = self.tmp / f"raw_server.{len(self.procs)}.log"
        p = self.spawn("raw_server", [PYTHON, PEERS / "raw_ws_server.py", "--log", log, "--mode", mode])
        p.log = log
        p.wait_listening()
        return p

    def http_upstream(self) -> Proc:
        p = self.spawn("http_upstream", [PYTHON, PEERS / "http_upstream.py"])
        p.wait_listening()
        return p

    # -- the proxy -----------------------------------------------------------
    def proxy(self, upstream: str, record: Path | None = None, extra: list | None = None,
              listen: str = "127.0.0.1:0", name: str = "proxy") -> Proc:
        argv = [self.bin, "proxy", "--listen", listen, "--upstream", upstream]
        if record is not None:
            argv += ["--record", record]
        argv += [str(a) for a in (extra or [])]
        p = self.spawn(name, argv)
        p.wait_listening()
        # the contract: exactly one line, and it is the first one
        assert p.lines[0] == f"listening on 127.0.0.1:{p.port}", p.describe()
        return p

    def tape(self, name: str = "session") -> Path:
        return self.tmp / f"{name}.tape"

    # -- the CLI ---------------------------------------------------------------
    def cli(self, *args, timeout: float = 60, check: bool = False,
            stdin: bytes | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
        cp = subprocess.run([str(self.bin), *map(str, args)], capture_output=True,
                            timeout=timeout, env=CHILD_ENV, input=stdin,
                            stdin=None if stdin is not None else subprocess.DEVNULL,
                            preexec_fn=preexec_fn)
        cp.stdout_text = cp.stdout.decode("utf-8", "replace")
        cp.stderr_text = cp.stderr.decode("utf-8", "replace")
        if check:
            assert cp.returncode == 0, (f"sockettape {' '.join(map(str, args))} -> rc {cp.returncode}\n"
                                        f"stdout: {cp.stdout_text[-2000:]}\nstderr: {cp.stderr_text[-2000:]}")
        return cp

    def export(self, tape: Path, frames: bool = False) -> list[dict]:
        args = ["export", tape, "--format", "jsonl"] + (["--frames"] if frames else [])
        cp = self.cli(*args, check=True)
        return parse_jsonl(cp.stdout_text)


def parse_jsonl(text: str) -> list[dict]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise AssertionError(f"export line {n} is not JSON: {e}: {line[:200]!r}")
    return out


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip()]


def wait_for(predicate, timeout: float = 15, interval: float = 0.05, what: str = "condition"):
    """Poll until predicate() is truthy (bounded); returns its value or fails."""
    deadline = time.monotonic() + timeout
    while True:
        v = predicate()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def wait_log_close(peer: Proc, timeout: float = 15) -> dict:
    """The peer's log entry for the end of its (single) connection."""
    def closed():
        for e in read_log(peer.log):
            if e["type"] == "close":
                return e
        return None
    return wait_for(closed, timeout, what=f"{peer.name} to log a close\n{peer.describe()}")


def tape_bytes(tape: Path) -> bytes:
    """Every byte the recorder wrote for this tape: the file (or the files of a tape
    directory) plus side files named after it (index, journal, ...)."""
    paths = []
    if tape.is_dir():
        paths += sorted(p for p in tape.rglob("*") if p.is_file())
    elif tape.exists():
        paths.append(tape)
    paths += sorted(p for p in tape.parent.glob(tape.name + "*") if p.is_file() and p != tape)
    assert paths, f"no tape written at {tape}"
    return b"".join(p.read_bytes() for p in paths)


def kinds(records: list[dict], kind: str) -> list[dict]:
    return [r for r in records if r.get("kind") == kind]


@pytest.fixture(scope="session")
def sockettape_bin() -> Path:
    b = find_binary()
    if not b.exists():
        pytest.fail(f"sockettape binary not found at {b} (run `swift build` or set SOCKETTAPE_BIN)")
    return b


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.call_failed = rep.failed


@pytest.fixture
def h(request, tmp_path: Path, sockettape_bin: Path):
    harness = Harness(tmp_path, sockettape_bin)
    try:
        yield harness
    finally:
        failed = getattr(request.node, "call_failed", True)
        harness.teardown()
        if failed:  # shown under "Captured stdout teardown"
            for p in harness.procs:
                print(p.describe())
