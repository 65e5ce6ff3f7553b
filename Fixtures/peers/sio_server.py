#!/usr/bin/env python3
"""Socket.IO server (python-socketio on aiohttp) for the integration tests.

Ping interval and timeout default to 1 s and 3 s (--ping-interval, --ping-timeout): a
polling client's disconnect waits for its pending GET, up to interval + timeout.

Namespace "/":
  connect         refused (ConnectionRefusedError "bad token") when auth has "token": "bad"
  "chat" data     acks {"echo": data} and emits "chat-reply" "got: <data>" to the sender
  "join" room     enters the room, acks "joined <room>"
  "shout" {"room","text"}
                  emits "room-msg" {"room","text","from": sid} to the room, acks the
                  number of members it went to
  "bin" data      emits "bin-back" data to the sender, acks data (binary both ways)
  "ask" q         calls "question" q on the sender (with an ack), acks {"answer": <its ack args>}
  "kick-me"       disconnects the sender from "/" (a DISCONNECT packet, then the client closes)
  "stamp" text    acks {"text": text, "at": <now, epoch seconds>, "nonce": <random hex>} (noise for replay)
  "create-room"   acks {"room": "room-<random hex>"}: a value a replay must capture to join it
                  ("join" refuses a "room-…" name this server did not create: "no such room …")
Namespace "/admin":
  connect         accepted
  "status" data   emits "admin-note" {"seen": data} to the sender, acks {"ok": true, "nsp": "/admin"}

--log FILE writes one JSON line per Socket.IO packet the application sends or receives, in
the format of sio_log.py, plus "sid": the client's Socket.IO sid in that namespace (the "sid"
of the server's CONNECT answer). Each line is written (and flushed) before the packet is
sent, or as soon as the application gets it.

--changed answers as a later version of the application might, for replay regression tests:
"chat" acks {"echoed": data} (a renamed field) and "join" acks "entered <room>" (another value).

Prints "listening on 127.0.0.1:PORT".
"""
import argparse
import asyncio
import contextvars
import json
import secrets
import time

import socketio
from aiohttp import web

from sio_log import ack_args, entry

parser = argparse.ArgumentParser()
parser.add_argument("--log", help="JSON Lines log of every Socket.IO packet sent or received")
parser.add_argument("--ping-interval", type=float, default=1)
parser.add_argument("--ping-timeout", type=float, default=3)
parser.add_argument("--changed", action="store_true", help="answer chat and join differently")
args = parser.parse_args()

# The ack id of the event being handled (None: the sender asked for no acknowledgement).
ACK_ID = contextvars.ContextVar("ACK_ID", default=None)


class Server(socketio.AsyncServer):
    """python-socketio's server, telling the handlers whether the sender wants an ack (which
    the handler API hides: the return value is simply dropped when nobody asked)."""

    async def _handle_event_internal(self, server, sid, eio_sid, data, namespace, id):
        ACK_ID.set(id)  # this runs in the event's own task: the value stays with it
        return await super()._handle_event_internal(server, sid, eio_sid, data, namespace, id)


sio = Server(async_mode="aiohttp", ping_interval=args.ping_interval, ping_timeout=args.ping_timeout)
app = web.Application()
sio.attach(app)
log_file = open(args.log, "a", encoding="utf-8") if args.log else None


def log(direction, sid, kind, nsp, event=None, args=None, ack=False, data=None):
    if log_file is None:
        return
    line = {"sid": sid, **entry(direction, kind, nsp, event, args, ack, data)}
    log_file.write(json.dumps(line) + "\n")
    log_file.flush()


def logged(event, nsp="/"):
    """Registers a handler for event, logging the event as it arrives and the ack it returns."""
    def register(handler):
        async def wrapper(sid, *event_args):
            asked = ACK_ID.get() is not None
            log("in", sid, "EVENT", nsp, event, event_args, ack=asked)
            result = await handler(sid, *event_args)
            if asked:
                log("out", sid, "ACK", nsp, args=ack_args(result))
            return result
        sio.on(event, wrapper, namespace=nsp)
        return handler
    return register


async def emit(event, data, to, nsp="/", callback=None, room=False):
    """sio.emit, logged once per receiving client (a room gets one line per member)."""
    members = sorted(sid for sid, _ in sio.manager.get_participants(nsp, to)) if room else [to]
    for sid in members:
        log("out", sid, "EVENT", nsp, event, [data], ack=callback is not None)
    await sio.emit(event, data, to=to, namespace=nsp, callback=callback)
    return len(members)


@sio.event
async def connect(sid, environ, auth):
    log("in", sid, "CONNECT", "/", data=auth)
    if isinstance(auth, dict) and auth.get("token") == "bad":
        log("out", sid, "CONNECT_ERROR", "/", data={"message": "bad token"})
        raise socketio.exceptions.ConnectionRefusedError("bad token")
    log("out", sid, "CONNECT", "/", data={"sid": sid})


@sio.event
async def disconnect(sid, reason):
    # Only a DISCONNECT packet from the client is a packet the application received.
    if reason == sio.reason.CLIENT_DISCONNECT:
        log("in", sid, "DISCONNECT", "/")


@sio.on("connect", namespace="/admin")
async def admin_connect(sid, environ, auth):
    log("in", sid, "CONNECT", "/admin", data=auth)
    log("out", sid, "CONNECT", "/admin", data={"sid": sid})


@sio.on("disconnect", namespace="/admin")
async def admin_disconnect(sid, reason):
    if reason == sio.reason.CLIENT_DISCONNECT:
        log("in", sid, "DISCONNECT", "/admin")


@logged("chat")
async def chat(sid, data):
    await emit("chat-reply", f"got: {data}", to=sid)
    return {"echoed": data} if args.changed else {"echo": data}


@logged("join")
async def join(sid, room):
    if room.startswith("room-") and room not in CREATED_ROOMS:
        return f"no such room {room}"
    await sio.enter_room(sid, room)
    return f"entered {room}" if args.changed else f"joined {room}"


@logged("shout")
async def shout(sid, data):
    return await emit("room-msg", {"room": data["room"], "text": data["text"], "from": sid},
                      to=data["room"], room=True)


@logged("bin")
async def binary(sid, data):
    await emit("bin-back", data, to=sid)
    return data


@logged("ask")
async def ask(sid, question):
    answered = asyncio.get_running_loop().create_future()

    def on_answer(*answer):
        # called as the ACK is received, before anything the client sent after it
        log("in", sid, "ACK", "/", args=answer)
        answered.set_result(list(answer))

    await emit("question", question, to=sid, callback=on_answer)
    return {"answer": await asyncio.wait_for(answered, 15)}


@logged("stamp")
async def stamp(sid, text):
    return {"text": text, "at": time.time(), "nonce": secrets.token_hex(8)}


CREATED_ROOMS = set()


@logged("create-room")
async def create_room(sid):
    room = "room-" + secrets.token_hex(6)
    CREATED_ROOMS.add(room)
    return {"room": room}


@logged("kick-me")
async def kick_me(sid):
    log("out", sid, "DISCONNECT", "/")
    await sio.disconnect(sid)


@logged("status", nsp="/admin")
async def status(sid, data):
    await emit("admin-note", {"seen": data}, to=sid, nsp="/admin")
    return {"ok": True, "nsp": "/admin"}


async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)
    await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
