#!/usr/bin/env python3
"""WebSocket echo server (Python `websockets`) for the integration tests.

Echoes every data message back as received. Appends one JSON line per event it
received to --log: {"type":"text","text":..}, {"type":"binary","base64":..},
{"type":"close","code":..,"reason":..} when the connection ends, and
{"type":"open","path":..,"subprotocol":..,"headers":[[k,v],..]} on connect.
Upgrades to a path starting with /forbidden are refused with 403 "no entry".
--ping-interval S, --ping-timeout T: ping every S seconds and close (1011) when a pong is
T seconds late (default 20).
--close-command: a text message "close CODE REASON" is not echoed; the server closes the
connection with that code and reason instead.
Prints "listening on 127.0.0.1:PORT" once ready.
"""
import argparse
import asyncio
import base64
import json
import ssl
from http import HTTPStatus
import sys

from websockets.asyncio.server import serve


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", required=True)
    ap.add_argument("--compression", choices=["deflate", "none"], default="deflate")
    ap.add_argument("--subprotocol", action="append", default=[],
                    help="subprotocols the server supports (it picks the first shared one)")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--ping-interval", type=float)
    ap.add_argument("--ping-timeout", type=float, default=20)
    ap.add_argument("--close-command", action="store_true")
    args = ap.parse_args()

    log = open(args.log, "a", buffering=1)

    def write(entry: dict) -> None:
        log.write(json.dumps(entry) + "\n")
        log.flush()

    async def handler(ws) -> None:
        write({"type": "open", "path": ws.request.path, "subprotocol": ws.subprotocol,
               "headers": [[k, v] for k, v in ws.request.headers.raw_items()]})
        try:
            async for msg in ws:
                if isinstance(msg, str):
                    write({"type": "text", "text": msg})
                    if args.close_command and msg.startswith("close "):
                        _, code, reason = (msg + " ").split(" ", 2)
                        await ws.close(int(code), reason.strip())
                        break
                else:
                    write({"type": "binary", "base64": base64.b64encode(msg).decode()})
                await ws.send(msg)
        except Exception as exc:  # connection errors end the session; log them
            write({"type": "error", "error": repr(exc)})
        finally:
            # wait_closed() so close_code is known (the closing handshake is done)
            await ws.wait_closed()
            rcvd = ws.protocol.close_rcvd
            write({"type": "close", "code": ws.close_code, "reason": ws.close_reason,
                   "received": None if rcvd is None else {"code": rcvd.code, "reason": rcvd.reason}})

    def process_request(connection, request):
        # /forbidden...: refuse the upgrade, to check that refusals pass through
        if request.path.startswith("/forbidden"):
            write({"type": "refused", "path": request.path})
            return connection.respond(HTTPStatus.FORBIDDEN, "no entry\n")
        return None

    async def run() -> None:
        ssl_ctx = None
        if args.tls_cert:
            ssl_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ssl_ctx.load_cert_chain(args.tls_cert, args.tls_key)
        async with serve(handler, args.host, args.port,
                         compression=None if args.compression == "none" else "deflate",
                         subprotocols=args.subprotocol or None,
                         max_size=None, ping_interval=args.ping_interval,
                         ping_timeout=args.ping_timeout, ssl=ssl_ctx,
                         process_request=process_request) as server:
            port = server.sockets[0].getsockname()[1]
            print(f"listening on {args.host}:{port}", flush=True)
            await asyncio.Future()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
    sys.exit(0)
