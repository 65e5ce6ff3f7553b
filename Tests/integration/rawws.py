"""Hand-built WebSocket frames over plain sockets (RFC 6455), for violation tests."""
from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
import time

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes = b"", *, fin: bool = True, rsv1: bool = False,
          rsv2: bool = False, rsv3: bool = False, mask: bool = True,
          key: bytes | None = None) -> bytes:
    """Encode one frame exactly as asked (no validity checks: tests build bad frames)."""
    b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | (0x20 if rsv2 else 0) \
        | (0x10 if rsv3 else 0) | (opcode & 0x0F)
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        head = bytes([b0, mbit | n])
    elif n < 65536:
        head = bytes([b0, mbit | 126]) + struct.pack("!H", n)
    else:
        head = bytes([b0, mbit | 127]) + struct.pack("!Q", n)
    if not mask:
        return head + payload
    key = key if key is not None else os.urandom(4)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return head + key + masked


def close_payload(code: int | None, reason: str = "") -> bytes:
    if code is None:
        return b""
    return struct.pack("!H", code) + reason.encode()


class RawConn:
    """A socket plus a read buffer; reads are bounded by a deadline."""

    def __init__(self, sock: socket.socket, leftover: bytes = b""):
        self.sock = sock
        self.buf = bytearray(leftover)

    def _fill(self, deadline: float) -> bool:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("read timed out")
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            return False
        if not data:
            return False
        self.buf += data
        return True

    def read_exact(self, n: int, deadline: float) -> bytes | None:
        while len(self.buf) < n:
            if not self._fill(deadline):
                return None
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def read_frame(self, timeout: float = 15) -> dict | None:
        """One frame, unmasked; None on EOF."""
        deadline = time.monotonic() + timeout
        h = self.read_exact(2, deadline)
        if h is None:
            return None
        b0, b1 = h
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.read_exact(2, deadline))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.read_exact(8, deadline))[0]
        key = self.read_exact(4, deadline) if b1 & 0x80 else None
        payload = self.read_exact(n, deadline) if n else b""
        if payload is None:
            return None
        if key:
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return {"fin": bool(b0 & 0x80), "rsv1": bool(b0 & 0x40), "rsv2": bool(b0 & 0x20),
                "rsv3": bool(b0 & 0x10), "opcode": b0 & 0x0F, "masked": key is not None,
                "payload": payload}

    def read_until_close(self, timeout: float = 15) -> tuple[dict | None, list[dict]]:
        """Frames up to and including the first close frame: (close_frame or None on EOF, others)."""
        deadline = time.monotonic() + timeout
        others = []
        while True:
            f = self.read_frame(max(0.01, deadline - time.monotonic()))
            if f is None:
                return None, others
            if f["opcode"] == OP_CLOSE:
                return f, others
            others.append(f)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def parse_close(f: dict) -> tuple[int | None, str]:
    p = f["payload"]
    if len(p) < 2:
        return None, ""
    return struct.unpack("!H", p[:2])[0], p[2:].decode("utf-8", "replace")


def read_http_head(conn: RawConn, timeout: float = 15) -> tuple[int, list[tuple[str, str]]]:
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in conn.buf:
        if not conn._fill(deadline):
            raise ConnectionError(f"EOF before end of HTTP head: {bytes(conn.buf)!r}")
    end = conn.buf.index(b"\r\n\r\n")
    head = bytes(conn.buf[:end]).decode("latin-1")
    del conn.buf[:end + 4]
    lines = head.split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = []
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers.append((k.strip(), v.strip()))
    return status, headers


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    for k, v in headers:
        if k.lower() == name.lower():
            return v
    return None


def client_handshake(port: int, path: str = "/", extra: list[tuple[str, str]] = (),
                     timeout: float = 15) -> tuple[RawConn, int, list[tuple[str, str]]]:
    """Connects to 127.0.0.1:port and does an upgrade without extensions.

    Returns (conn, status, headers); the caller checks the status.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    req = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
    for k, v in extra:
        req += f"{k}: {v}\r\n"
    req += "\r\n"
    sock.sendall(req.encode())
    conn = RawConn(sock)
    status, headers = read_http_head(conn, timeout)
    if status == 101:
        assert header(headers, "Sec-WebSocket-Accept") == accept_key(key), headers
    return conn, status, headers
