#!/usr/bin/env python3
"""A WebSocket server done by hand on a plain socket, to misbehave on purpose.

--mode masked: after the handshake, send a *masked* text frame "masked-from-server"
(servers must not mask; RFC 6455 5.1), then log every frame it receives.
--mode record: after the handshake, send SERVER_FRAMES (fixed bytes: fragmented
text with a ping between fragments, 16- and 64-bit lengths, unmasked as servers
must), then log everything it receives as {"type":"bytes","base64":..} once the
client's close frame is in (plus the frames as below).
Log lines (JSON): {"type":"frame","opcode":N,"payload_base64":..} and
{"type":"close","code":N|null,"reason":..} for the close frame it got (then it
answers the close and hangs up), or {"type":"eof"}.
"""
import argparse
import base64
import json
import os
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "integration"))
import rawws  # noqa: E402


F = rawws.frame
SERVER_FRAMES = b"".join([
    F(rawws.OP_TEXT, "hello from a raw server ✓".encode(), mask=False),
    F(rawws.OP_TEXT, b"part one, ", fin=False, mask=False),
    F(rawws.OP_PING, b"between fragments", mask=False),
    F(rawws.OP_CONT, b"part two, ", fin=False, mask=False),
    F(rawws.OP_CONT, b"part three", mask=False),
    F(rawws.OP_BINARY, bytes(range(256)) * 2, mask=False),          # 16-bit length
    F(rawws.OP_BINARY, bytes(i % 251 for i in range(70000)), mask=False),  # 64-bit length
    F(rawws.OP_PONG, b"unsolicited pong", mask=False),
])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--mode", choices=["masked", "record"], default="masked")
    args = ap.parse_args()
    log = open(args.log, "a", buffering=1)
    lock = threading.Lock()

    def write(e):
        with lock:
            log.write(json.dumps(e) + "\n")
            log.flush()

    def serve(sock):
        conn = rawws.RawConn(sock)
        try:
            import time
            deadline = time.monotonic() + 15
            while b"\r\n\r\n" not in conn.buf:
                if not conn._fill(deadline):
                    return
            end = conn.buf.index(b"\r\n\r\n")
            head = bytes(conn.buf[:end]).decode("latin-1")
            del conn.buf[:end + 4]
            key = None
            for line in head.split("\r\n")[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == "sec-websocket-key":
                    key = v.strip()
            write({"type": "open", "request": head.split("\r\n")[0]})
            sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                          f"{rawws.accept_key(key)}\r\n\r\n").encode())
            if args.mode == "masked":
                sock.sendall(rawws.frame(rawws.OP_TEXT, b"masked-from-server", mask=True))
            if args.mode == "record":
                sock.sendall(SERVER_FRAMES)
            received = bytearray(conn.buf)
            orig_fill = conn._fill

            def fill(deadline):  # keep a copy of every byte read
                n = len(conn.buf)
                ok = orig_fill(deadline)
                received.extend(conn.buf[n:])
                return ok
            conn._fill = fill
            while True:
                f = conn.read_frame(timeout=30)
                if f is None:
                    write({"type": "eof"})
                    return
                if f["opcode"] == rawws.OP_CLOSE:
                    if args.mode == "record":
                        write({"type": "bytes", "base64": base64.b64encode(bytes(received)).decode()})
                    code, reason = rawws.parse_close(f)
                    write({"type": "close", "code": code, "reason": reason})
                    sock.sendall(rawws.frame(rawws.OP_CLOSE, f["payload"][:2], mask=False))
                    return
                write({"type": "frame", "opcode": f["opcode"],
                       "payload_base64": base64.b64encode(f["payload"]).decode()})
        except Exception as exc:
            write({"type": "error", "error": repr(exc)})
        finally:
            conn.close()

    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(16)
    print(f"listening on 127.0.0.1:{srv.getsockname()[1]}", flush=True)
    try:
        while True:
            s, _ = srv.accept()
            threading.Thread(target=serve, args=(s,), daemon=True).start()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
