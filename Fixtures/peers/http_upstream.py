#!/usr/bin/env python3
"""Plain HTTP/1.1 upstream (keep-alive) for the HTTP-through-proxy tests.

GET/POST /echo        -> 200, JSON {"method","target","headers":[[k,v]..],"body",
                         "conn": N (per-connection counter), "request_no": N on that connection}
                         with Content-Length; reads request bodies sent with
                         Content-Length or Transfer-Encoding: chunked.
GET /bytes/N          -> 200, N bytes i % 251 (application/octet-stream), Content-Length.
GET /chunked          -> 200, Transfer-Encoding: chunked, body "alpha-beta-gamma" in 3 chunks.
GET /hop              -> 200 with "Connection: keep-alive, X-Resp-Hop", "X-Resp-Hop: 1",
                         "X-End-To-End: 1", body "hop".
Prints "listening on 127.0.0.1:PORT".
"""
import itertools
import json
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_conn_ids = itertools.count(1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.conn_id = next(_conn_ids)
        self.request_no = 0

    def log_message(self, fmt, *args):
        sys.stderr.write("http_upstream: " + (fmt % args) + "\n")

    def _body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body: bytes, headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        self.request_no += 1
        body = self._body()
        if self.path.startswith("/echo"):
            doc = {"method": self.command, "target": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()],
                   "body": body.decode("utf-8", "replace"),
                   "conn": self.conn_id, "request_no": self.request_no}
            self._send(200, json.dumps(doc).encode(), [("Content-Type", "application/json")])
        elif self.path.startswith("/bytes/"):
            n = int(self.path.split("/")[2])
            self._send(200, bytes(i % 251 for i in range(n)), [("Content-Type", "application/octet-stream")])
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"alpha-", b"beta-", b"gamma"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/hop":
            self._send(200, b"hop", [("Connection", "keep-alive, X-Resp-Hop"), ("X-Resp-Hop", "1"),
                                     ("X-End-To-End", "1"), ("Content-Type", "text/plain")])
        else:
            self._send(404, b"not found")

    do_GET = _handle
    do_POST = _handle


def main():
    socketserver.TCPServer.allow_reuse_address = True
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(f"listening on 127.0.0.1:{srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
