"""Plain HTTP/1.1 (non-upgrade) requests are reverse-proxied and recorded."""
from __future__ import annotations

import base64
import json
import socket
import time

import pytest

import rawws
from conftest import kinds


class HttpConn:
    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.conn = rawws.RawConn(self.sock)
        self.port = port

    def request(self, method: str, target: str, headers=(), body: bytes | None = None,
                chunks: list[bytes] | None = None):
        req = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        for k, v in headers:
            req += f"{k}: {v}\r\n"
        data = b""
        if chunks is not None:
            req += "Transfer-Encoding: chunked\r\n"
            for c in chunks:
                data += b"%x\r\n%s\r\n" % (len(c), c)
            data += b"0\r\n\r\n"
        elif body is not None:
            req += f"Content-Length: {len(body)}\r\n"
            data = body
        self.sock.sendall((req + "\r\n").encode() + data)
        return self.read_response()

    def read_response(self):
        deadline = time.monotonic() + 15
        status, headers = rawws.read_http_head(self.conn)
        te = (rawws.header(headers, "Transfer-Encoding") or "").lower()
        if "chunked" in te:
            body = b""
            while True:
                line = self._line(deadline)
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    while self._line(deadline) != b"":
                        pass
                    break
                body += self.conn.read_exact(size, deadline)
                assert self.conn.read_exact(2, deadline) == b"\r\n"
        else:
            n = int(rawws.header(headers, "Content-Length") or 0)
            body = self.conn.read_exact(n, deadline) if n else b""
        return status, headers, body

    def _line(self, deadline) -> bytes:
        while b"\r\n" not in self.conn.buf:
            if not self.conn._fill(deadline):
                raise ConnectionError("EOF in chunked body")
        i = self.conn.buf.index(b"\r\n")
        line = bytes(self.conn.buf[:i])
        del self.conn.buf[:i + 2]
        return line

    def close(self):
        self.sock.close()


def hdr(doc_headers, name):
    vals = [v for k, v in doc_headers if k.lower() == name.lower()]
    return vals[0] if len(vals) == 1 else (vals or None)


def setup_proxy(h):
    up = h.http_upstream()
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{up.port}", record=tape)
    return up, proxy, tape


def test_keep_alive_two_requests_one_connection(h):
    _, proxy, tape = setup_proxy(h)
    c = HttpConn(proxy.port)
    s1, _, b1 = c.request("GET", "/echo?n=1")
    s2, _, b2 = c.request("GET", "/echo?n=2")
    c.close()
    assert (s1, s2) == (200, 200)
    d1, d2 = json.loads(b1), json.loads(b2)
    assert (d1["target"], d2["target"]) == ("/echo?n=1", "/echo?n=2")
    assert proxy.stop() == 0
    http = kinds(h.export(tape), "http")
    assert [(r["request"]["method"], r["request"]["target"], r["response"]["status"]) for r in http] \
        == [("GET", "/echo?n=1", 200), ("GET", "/echo?n=2", 200)]
    assert json.loads(http[0]["response"]["body"])["target"] == "/echo?n=1"


def test_post_content_length_body(h):
    _, proxy, tape = setup_proxy(h)
    c = HttpConn(proxy.port)
    body = "name=sock&tape=✓".encode()
    status, headers, resp = c.request("POST", "/echo/post", [("Content-Type", "text/plain")], body=body)
    c.close()
    assert status == 200
    doc = json.loads(resp)
    assert doc["method"] == "POST" and doc["body"] == body.decode()
    assert proxy.stop() == 0
    http = kinds(h.export(tape), "http")
    assert len(http) == 1
    assert http[0]["request"]["method"] == "POST"
    assert http[0]["request"]["body"] == body.decode()


def test_chunked_request_and_response(h):
    _, proxy, tape = setup_proxy(h)
    c = HttpConn(proxy.port)
    status, _, resp = c.request("POST", "/echo/chunked", chunks=[b"abc", b"defg", b"h" * 300])
    assert status == 200
    assert json.loads(resp)["body"] == "abcdefg" + "h" * 300
    status, _, resp = c.request("GET", "/chunked")
    c.close()
    assert status == 200 and resp == b"alpha-beta-gamma"
    assert proxy.stop() == 0
    http = kinds(h.export(tape), "http")
    assert [r["request"]["target"] for r in http] == ["/echo/chunked", "/chunked"]
    assert http[0]["request"]["body"] == "abcdefg" + "h" * 300
    assert http[1]["response"]["body"] == "alpha-beta-gamma"


def test_hop_by_hop_and_forwarded_headers(h):
    _, proxy, _ = setup_proxy(h)
    c = HttpConn(proxy.port)
    status, _, resp = c.request("GET", "/echo/hop", [("Connection", "keep-alive, X-Hop"),
                                                     ("X-Hop", "secret"), ("X-Keep", "kept"),
                                                     ("Keep-Alive", "timeout=5")])
    assert status == 200
    seen = json.loads(resp)["headers"]
    assert hdr(seen, "X-Hop") is None
    assert hdr(seen, "Keep-Alive") is None
    assert hdr(seen, "X-Keep") == "kept"
    assert hdr(seen, "X-Forwarded-For") == "127.0.0.1"
    assert hdr(seen, "X-Forwarded-Proto") == "http"
    # response side: hop-by-hop headers named by the upstream's Connection are removed
    status, headers, resp = c.request("GET", "/hop")
    c.close()
    assert status == 200 and resp == b"hop"
    assert rawws.header(headers, "X-Resp-Hop") is None
    assert rawws.header(headers, "X-End-To-End") == "1"


def test_http_upstream_unreachable_is_502(h):
    from conftest import free_port
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{free_port()}", record=tape)
    c = HttpConn(proxy.port)
    status, _, _ = c.request("GET", "/echo")
    c.close()
    assert status == 502
    assert proxy.stop() == 0


def test_large_post_body(h):
    _, proxy, tape = setup_proxy(h)
    c = HttpConn(proxy.port)
    body = ("0123456789abcdef" * 65536).encode()  # 1 MiB
    status, _, resp = c.request("POST", "/echo/big", body=body)
    c.close()
    assert status == 200
    assert json.loads(resp)["body"] == body.decode()
    assert proxy.stop() == 0
    http = kinds(h.export(tape), "http")
    assert len(http) == 1 and http[0]["request"]["body"] == body.decode()


@pytest.mark.parametrize("n", [1000, 200_000, 1 << 20])
def test_large_response_body(h, n):
    _, proxy, tape = setup_proxy(h)
    c = HttpConn(proxy.port)
    status, _, resp = c.request("GET", f"/bytes/{n}")
    c.close()
    assert status == 200
    assert resp == bytes(i % 251 for i in range(n))
    assert proxy.stop() == 0
    http = kinds(h.export(tape), "http")
    assert len(http) == 1
    assert base64.b64decode(http[0]["response"]["body_base64"]) == resp


def test_oversized_request_headers_get_431(h):
    up = h.http_upstream()
    proxy = h.proxy(f"http://127.0.0.1:{up.port}", extra=["--max-header-size", "1K"])
    conn = HttpConn(proxy.port)
    status, headers, body = conn.request("GET", "/too-big", headers=[("X-Big", "y" * 2000)])
    assert status == 431
    assert rawws.header(headers, "Connection").lower() == "close"
    assert body.startswith(b"sockettape: request headers take ") and b"over the limit of 1024" in body
    # A request under the limit on a new connection still goes through.
    ok_status, _, ok_body = HttpConn(proxy.port).request("GET", "/echo/small", headers=[("X-Small", "y" * 100)])
    assert ok_status == 200
    assert ["X-Small", "y" * 100] in json.loads(ok_body)["headers"]
    assert proxy.stop() == 0
