"""TLS on both sides: a wss:// upstream checked against a CA, and a TLS listener."""
from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import pytest
from websockets.sync.client import connect

import rawws
from conftest import kinds


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("pki")

    def run(*args):
        subprocess.run(["openssl", *map(str, args)], cwd=d, check=True, capture_output=True, timeout=60)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=SocketTape Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                               "keyUsage=critical,digitalSignature,keyEncipherment\n"
                               "extendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return {"ca": d / "ca.pem", "cert": d / "server.pem", "key": d / "server.key"}


def client_ctx(ca: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca))
    return ctx


def talk(url: str, ssl_ctx=None) -> list[str]:
    with connect(url, proxy=None, ping_interval=None, open_timeout=15, close_timeout=15, ssl=ssl_ctx) as ws:
        out = []
        for m in ["secure hello", "secure ✓"]:
            ws.send(m)
            out.append(ws.recv(timeout=15))
        ws.close(1000, "tls done")
    return out


def test_wss_upstream_with_ca(h, pki):
    peer = h.py_echo(tls=(pki["cert"], pki["key"]))
    # sanity: the upstream really speaks TLS with this CA
    assert talk(f"wss://localhost:{peer.port}/", client_ctx(pki["ca"])) == ["secure hello", "secure ✓"]
    tape = h.tape()
    proxy = h.proxy(f"wss://localhost:{peer.port}", record=tape, extra=["--upstream-ca", pki["ca"]])
    assert talk(f"ws://127.0.0.1:{proxy.port}/") == ["secure hello", "secure ✓"]
    assert proxy.stop() == 0
    records = h.export(tape)
    assert [(m["from"], m["text"]) for m in kinds(records, "message") if m["opcode"] == "text"] == [
        ("client", "secure hello"), ("server", "secure hello"), ("client", "secure ✓"), ("server", "secure ✓")]


def test_wss_upstream_without_ca_is_502(h, pki):
    peer = h.py_echo(tls=(pki["cert"], pki["key"]))
    tape = h.tape()
    proxy = h.proxy(f"wss://localhost:{peer.port}", record=tape)
    conn, status, _ = rawws.client_handshake(proxy.port)
    conn.close()
    assert status == 502
    assert proxy.stop() == 0
    closes = kinds(h.export(tape), "close")
    assert len(closes) == 1 and closes[0]["error"]


def test_tls_listener(h, pki):
    peer = h.py_echo()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{peer.port}", record=tape,
                    extra=["--tls-cert", pki["cert"], "--tls-key", pki["key"]])
    assert talk(f"wss://localhost:{proxy.port}/", client_ctx(pki["ca"])) == ["secure hello", "secure ✓"]
    assert proxy.stop() == 0
    records = h.export(tape)
    texts = [m["text"] for m in kinds(records, "message") if m["opcode"] == "text"]
    assert texts == ["secure hello", "secure hello", "secure ✓", "secure ✓"]


def test_tls_both_sides(h, pki):
    peer = h.py_echo(tls=(pki["cert"], pki["key"]))
    proxy = h.proxy(f"wss://localhost:{peer.port}",
                    extra=["--upstream-ca", pki["ca"], "--tls-cert", pki["cert"], "--tls-key", pki["key"]])
    assert talk(f"wss://localhost:{proxy.port}/", client_ctx(pki["ca"])) == ["secure hello", "secure ✓"]
    assert proxy.stop() == 0
