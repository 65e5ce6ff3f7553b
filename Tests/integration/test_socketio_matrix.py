"""Socket.io through the recording proxy, scenario by scenario, with real peers: the
python-socketio AsyncServer on aiohttp (Fixtures/peers/sio_server.py) and its AsyncClient.

Both ends log every Socket.IO packet their application sends or receives (the server with
--log, the clients in this file, in one format: see sio_server.py). The key assertion: per
tape session and per direction, the packets the tape decodes to (the `sio` objects of
`export --format jsonl`, binary attachments put back) are exactly what the client logged
sending and the server logged receiving, and the other way round, in order. Besides that,
each scenario checks what is particular to it, and every tape session is checked for the
shape of an Engine.IO session: one `open` (engineio 4, the first transport), the upgrade
when there is one, one `close` after every message.
"""
from __future__ import annotations

import asyncio
import base64
import contextvars
import sys

import engineio
import pytest
import socketio

from conftest import PEERS, PYTHON, kinds, read_log, wait_for

sys.path.insert(0, str(PEERS))
from sio_log import ack_args, entry  # noqa: E402  (the log format the fixture server writes)

TRANSPORTS = {
    "polling-then-upgrade": ["polling", "websocket"],  # the client's default
    "websocket-only": ["websocket"],
    "polling-only": ["polling"],
}
BOTH = ["polling-then-upgrade", "websocket-only"]
ALL = list(TRANSPORTS)
PING_INTERVAL = 0.5  # seconds: the idle test counts pings
PING_TIMEOUT = 1  # seconds; interval + timeout is how long a polling client's disconnect waits
WAIT = 10  # seconds any single exchange may take
REDACTED = "[redacted]"


# -- the clients ------------------------------------------------------------------------------

# The ack id of the event the client is handling (None: the server asked for no acknowledgement).
ACK_ID = contextvars.ContextVar("ACK_ID", default=None)


class FlushingEngineIOClient(engineio.AsyncClient):
    """python-engineio's client closes the WebSocket right after queueing its last packets,
    before its write loop has sent them: `disconnect()` would never put the Socket.IO
    DISCONNECT on the wire. This one lets the write loop send what is queued first."""

    async def disconnect(self, abort=False, reason=None):
        if self.state == "connected" and self.current_transport == "websocket":
            try:
                await asyncio.wait_for(self.queue.join(), WAIT)
            except asyncio.TimeoutError:
                pass
        await super().disconnect(abort=abort, reason=reason)


class AsyncClient(socketio.AsyncClient):
    """python-socketio's client, telling handlers whether the server wants an ack (the handler
    API hides it), and sending its DISCONNECT before it closes the WebSocket."""

    def _engineio_client_class(self):
        return FlushingEngineIOClient

    async def _handle_event(self, namespace, id, data):
        ACK_ID.set(id)  # this runs in the message's own task: the value stays with it
        return await super()._handle_event(namespace, id, data)


class Client:
    """A python-socketio AsyncClient that logs every Socket.IO packet its application sends
    or receives, in the server's log format. `answers` maps events the server `call`s to the
    function whose result the client acknowledges with."""

    def __init__(self, name: str, namespaces=("/",), answers: dict | None = None):
        self.name = name
        self.namespaces = list(namespaces)
        self.answers = answers or {}
        self.log: list[dict] = []
        self.sio = AsyncClient(reconnection=False)
        self.queues: dict[tuple[str, str], asyncio.Queue] = {}
        self.refused: asyncio.Future | None = None
        self.sids: dict[str, str] = {}  # the server's sid for each namespace connected to
        for nsp in self.namespaces:
            self._handlers(nsp)

    def _queue(self, nsp: str, event: str) -> asyncio.Queue:
        return self.queues.setdefault((nsp, event), asyncio.Queue())

    def _handlers(self, nsp: str) -> None:
        def connect():
            self.sids[nsp] = self.sio.get_sid(nsp)
            self.log.append(entry("in", "CONNECT", nsp, data={"sid": self.sids[nsp]}))

        def connect_error(data):
            self.log.append(entry("in", "CONNECT_ERROR", nsp, data=data))
            if self.refused and not self.refused.done():
                self.refused.set_result(data)

        def disconnect(reason):
            # only a DISCONNECT packet from the server is a packet the application received
            if reason == self.sio.reason.SERVER_DISCONNECT:
                self.log.append(entry("in", "DISCONNECT", nsp))
            self._queue(nsp, "disconnect").put_nowait(reason)

        def any_event(event, *args):
            asked = ACK_ID.get() is not None
            self.log.append(entry("in", "EVENT", nsp, event, args, ack=asked))
            self._queue(nsp, event).put_nowait(args)
            result = self.answers[event](*args) if event in self.answers else None
            if asked:
                self.log.append(entry("out", "ACK", nsp, args=ack_args(result)))
            return result

        self.sio.on("connect", connect, namespace=nsp)
        self.sio.on("connect_error", connect_error, namespace=nsp)
        self.sio.on("disconnect", disconnect, namespace=nsp)
        self.sio.on("*", any_event, namespace=nsp)

    async def connect(self, url: str, transports: list[str], auth: dict | None = None) -> None:
        self.refused = asyncio.get_running_loop().create_future()
        for nsp in self.namespaces:
            self.log.append(entry("out", "CONNECT", nsp, data=auth))
        await self.sio.connect(url, transports=transports, namespaces=self.namespaces, auth=auth,
                               wait_timeout=WAIT)
        if transports == ["polling", "websocket"]:
            assert self.sio.transport() == "websocket", f"{self.name} did not upgrade"

    async def emit(self, event: str, *args, nsp: str = "/", ack: bool = True):
        """Sends an event; with `ack`, asks for an acknowledgement and returns its arguments."""
        self.log.append(entry("out", "EVENT", nsp, event, args, ack=ack))
        data = args[0] if len(args) == 1 else (tuple(args) if args else None)
        if not ack:
            await self.sio.emit(event, data, namespace=nsp)
            return None
        acked = asyncio.get_running_loop().create_future()

        def on_ack(*ack_args):
            # called as the ACK arrives, in order with the events around it
            self.log.append(entry("in", "ACK", nsp, args=ack_args))
            acked.set_result(list(ack_args))

        await self.sio.emit(event, data, namespace=nsp, callback=on_ack)
        return await asyncio.wait_for(acked, WAIT)

    async def next(self, event: str, nsp: str = "/"):
        """The arguments of the next `event` received on `nsp` (bounded wait)."""
        return await asyncio.wait_for(self._queue(nsp, event).get(), WAIT)

    async def disconnect(self) -> None:
        for nsp in self.namespaces:
            if self.sio.get_sid(nsp) is not None:
                self.log.append(entry("out", "DISCONNECT", nsp))
        await self.sio.disconnect()

    def sid(self) -> str | None:
        return self.sids.get("/")


# -- the tape's view --------------------------------------------------------------------------

EVENT_TYPES = ("EVENT", "BINARY_EVENT")
ACK_TYPES = ("ACK", "BINARY_ACK")


def tape_packets(session: list[dict]) -> list[dict]:
    """Every complete Socket.IO packet of one tape session, in tape order, as
    {"from", "type", "nsp", "event"?, "args"?, "id"?, "data"?}: a binary packet once, at
    the message that completes it (the last attachment)."""
    out = []
    for r in kinds(session, "message"):
        sio = r.get("sio")
        if not sio or "type" not in sio or sio.get("pending"):
            continue  # no Socket.IO packet, or a binary header still waiting for attachments
        out.append({"from": r["from"], **sio})
    return out


def as_logged(packet: dict) -> dict:
    """A tape packet as the logs write it (without "dir" and "sid")."""
    kind = packet["type"]
    e = {"type": kind, "nsp": packet["nsp"]}
    if kind in EVENT_TYPES:
        e["event"] = packet["event"]
    if kind in EVENT_TYPES + ACK_TYPES:
        e["args"] = packet.get("args", [])
    if kind in EVENT_TYPES and packet.get("id") is not None:
        e["ack"] = True
    if packet.get("data") is not None and not (kind == "CONNECT" and packet["data"] == {}):
        # python-socketio's client sends "no auth" as {}, its server hands that on as None
        e["data"] = packet["data"]
    return e


def one_way(log: list[dict], direction: str) -> list[dict]:
    """The entries of one direction, without "dir" and "sid"."""
    return [{k: v for k, v in e.items() if k not in ("dir", "sid")} for e in log if e["dir"] == direction]


def redact_connect(log: list[dict]) -> list[dict]:
    """The log as the tape shows it by default: CONNECT auth values redacted."""
    return [{**e, "data": {k: REDACTED for k in e["data"]}}
            if e["type"] == "CONNECT" and isinstance(e.get("data"), dict) else e for e in log]


def sessions(records: list[dict]) -> dict[str, list[dict]]:
    by_session: dict[str, list[dict]] = {}
    for r in records:
        if r.get("session"):
            by_session.setdefault(r["session"], []).append(r)
    return by_session


def server_sids(session: list[dict]) -> set[str]:
    """The Socket.IO sids the server gave this session (one per namespace)."""
    return {p["data"]["sid"] for p in tape_packets(session)
            if p["from"] == "server" and p["type"] == "CONNECT" and isinstance(p.get("data"), dict)}


def session_of(records: list[dict], client: Client) -> list[dict]:
    found = [s for s in sessions(records).values() if client.sid() in server_sids(s)]
    assert len(found) == 1, f"{client.name} (sid {client.sid()}): {len(found)} tape sessions"
    return found[0]


def check_acks(packets: list[dict]) -> None:
    """Every ACK answers an earlier event from the other side, same namespace and id, once."""
    asked = {}
    for p in packets:
        if p["type"] in EVENT_TYPES and p.get("id") is not None:
            key = (p["from"], p["nsp"], p["id"])
            assert key not in asked, f"ack id used twice while pending: {p}"
            asked[key] = p
        elif p["type"] in ACK_TYPES:
            other = "server" if p["from"] == "client" else "client"
            assert asked.pop((other, p["nsp"], p.get("id")), None), f"ACK without its event: {p}"
    assert not asked, f"events never acknowledged: {list(asked.values())}"


def check_logs(session: list[dict], client: Client, server_log: list[dict], sids: set[str] | None = None,
               redacted: bool = True) -> list[dict]:
    """The key assertion: the tape session's packets, per direction and in order, are what
    the client and the server logged. Returns the tape packets."""
    packets = tape_packets(session)
    sids = server_sids(session) if sids is None else sids
    server = [e for e in server_log if e["sid"] in sids]
    up = [as_logged(p) for p in packets if p["from"] == "client"]
    down = [as_logged(p) for p in packets if p["from"] == "server"]
    client_out, server_in = one_way(client.log, "out"), one_way(server, "in")
    if redacted:
        client_out, server_in = redact_connect(client_out), redact_connect(server_in)
    assert up == client_out, f"{client.name}: tape client->server != client's log"
    assert up == server_in, f"{client.name}: tape client->server != server's log"
    assert down == one_way(server, "out"), f"{client.name}: tape server->client != server's log"
    assert down == one_way(client.log, "in"), f"{client.name}: tape server->client != client's log"
    check_acks(packets)
    return packets


def check_shape(session: list[dict], transports: list[str]) -> None:
    """One Engine.IO session from its handshake to its close, on the transports it used."""
    (opened,) = kinds(session, "open")
    assert session[0] is opened
    assert opened["engineio"] == 4 and opened["transport"] == transports[0], opened
    assert opened["request"]["target"].startswith("/socket.io/?") and "EIO=4" in opened["request"]["target"]
    messages = kinds(session, "message")
    first = messages[0]
    assert first["from"] == "server" and first["eio"]["type"] == "open", first
    assert first["eio"]["data"]["sid"] and "pingInterval" in first["eio"]["data"], first
    polling = [m for m in messages if m.get("transport") == "polling"]
    upgrades = kinds(session, "upgrade")
    if transports == ["websocket"]:
        assert polling == [] and kinds(session, "http") == [] and upgrades == []
    elif transports == ["polling"]:
        assert upgrades == [] and len(polling) == len(messages)
        assert kinds(session, "http"), "no http records for the later long-polling requests"
    else:
        (upgrade,) = upgrades
        assert upgrade["transport"] == "websocket" and upgrade["request"]["target"].count("sid=") == 1
        assert polling and polling[0] is first
        ws = [m for m in messages if m.get("transport") != "polling" and m["opcode"] == "text"]
        assert [m["text"] for m in ws[:3]] == ["2probe", "3probe", "5"], ws[:3]
        assert session.index(upgrade) < session.index(ws[0])
    (closed,) = kinds(session, "close")
    # a long-poll still pending at the close may end after it
    assert session.index(closed) > session.index(messages[-1])
    assert all(r["kind"] == "http" for r in session[session.index(closed) + 1:])


# -- running a scenario -------------------------------------------------------------------------

class Run:
    def __init__(self, h, extra: list | None = None):
        self.h = h
        self.server_log_path = h.tmp / "sio_server.log"
        self.server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", self.server_log_path,
                                             "--ping-interval", PING_INTERVAL, "--ping-timeout", PING_TIMEOUT])
        self.server.wait_listening()
        self.tape = h.tape()
        self.proxy = h.proxy(f"ws://127.0.0.1:{self.server.port}", record=self.tape, extra=extra)
        self.url = f"http://127.0.0.1:{self.proxy.port}"

    def server_log(self) -> list[dict]:
        return read_log(self.server_log_path)

    def finish(self, clients: list[Client]) -> list[dict]:
        """Waits (bounded) until the server has logged what the clients sent, stops the proxy
        (sealing the tape) and returns the exported records."""
        def settled():
            log = self.server_log()
            got = sum(1 for e in log if e["dir"] == "in")
            sent = sum(1 for c in clients for e in c.log if e["dir"] == "out")
            return got >= sent
        wait_for(settled, WAIT, what="the server to log what the clients sent\n" + self.server.describe())
        assert self.proxy.stop() == 0, self.proxy.describe()
        return self.h.export(self.tape)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 40))


def check_all(records: list[dict], clients: list[Client], server_log: list[dict], transports: list[str],
              redacted: bool = True) -> dict[str, list[dict]]:
    """One tape session per client, each of the right shape and matching both logs.
    Returns each client's tape packets by name."""
    assert len(sessions(records)) == len(clients), sorted(sessions(records))
    out = {}
    for c in clients:
        s = session_of(records, c)
        check_shape(s, transports)
        out[c.name] = check_logs(s, c, server_log, redacted=redacted)
    return out


def events(packets: list[dict], sender: str) -> list[tuple]:
    """(type, nsp, event, args, asks for an ack) of the events and acks `sender` sent."""
    return [(p["type"], p["nsp"], p.get("event"), p.get("args"), p["type"] in EVENT_TYPES and "id" in p)
            for p in packets if p["from"] == sender and p["type"] in EVENT_TYPES + ACK_TYPES]


# -- the scenarios ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", BOTH)
def test_rooms_and_broadcast(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h)
    ann, bob = Client("ann"), Client("bob")

    async def scenario():
        await ann.connect(r.url, transports)
        await bob.connect(r.url, transports)
        assert await ann.emit("join", "red") == ["joined red"]
        # bob is not in the room: the broadcast reaches ann only
        assert await bob.emit("shout", {"room": "red", "text": "one"}) == [1]
        assert (await ann.next("room-msg"))[0]["text"] == "one"
        assert await bob.emit("join", "red") == ["joined red"]
        assert await ann.emit("shout", {"room": "red", "text": "two"}) == [2]
        for c in (ann, bob):
            assert (await c.next("room-msg"))[0]["text"] == "two"
        await ann.disconnect()
        await bob.disconnect()

    run(scenario())
    records = r.finish([ann, bob])
    packets = check_all(records, [ann, bob], r.server_log(), transports)
    texts = {name: [p["args"][0]["text"] for p in ps if p.get("event") == "room-msg"]
             for name, ps in packets.items()}
    assert texts == {"ann": ["one", "two"], "bob": ["two"]}


@pytest.mark.parametrize("mode", BOTH)
def test_acks_both_ways(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h)
    cli = Client("cli", answers={"question": lambda q: {"answer-to": q, "value": 42}})

    async def scenario():
        await cli.connect(r.url, transports)
        assert await cli.emit("chat", "hello") == [{"echo": "hello"}]  # client -> server, acked
        assert await cli.next("chat-reply") == ("got: hello",)
        # server -> client `call`, answered by the client's ack, inside the server's ack
        assert await cli.emit("ask", "why?") == [{"answer": [{"answer-to": "why?", "value": 42}]}]
        await cli.emit("chat", "no ack wanted", ack=False)
        assert await cli.next("chat-reply") == ("got: no ack wanted",)
        await cli.disconnect()

    run(scenario())
    records = r.finish([cli])
    packets = check_all(records, [cli], r.server_log(), transports)["cli"]
    assert events(packets, "client") == [
        ("EVENT", "/", "chat", ["hello"], True),
        ("EVENT", "/", "ask", ["why?"], True),
        ("ACK", "/", None, [{"answer-to": "why?", "value": 42}], False),
        ("EVENT", "/", "chat", ["no ack wanted"], False),
    ]
    assert events(packets, "server") == [
        ("EVENT", "/", "chat-reply", ["got: hello"], False),
        ("ACK", "/", None, [{"echo": "hello"}], False),
        ("EVENT", "/", "question", ["why?"], True),
        ("ACK", "/", None, [{"answer": [{"answer-to": "why?", "value": 42}]}], False),
        ("EVENT", "/", "chat-reply", ["got: no ack wanted"], False),
    ]


BLOB = {"a": b"\x00\x01", "b": [b"xyz", b"\xff" * 1000], "n": 3}


def b64(data: bytes) -> dict:
    return {"$bytes": base64.b64encode(data).decode("ascii")}


# polling-only also covers gzip: python-engineio compresses polling answers of 1024 bytes and more.
@pytest.mark.parametrize("mode", ALL)
def test_binary_events_both_ways(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h)
    cli = Client("cli", answers={"question": lambda q: {"got": q, "raw": b"\x00ok\xfe"}})

    async def scenario():
        await cli.connect(r.url, transports)
        # BINARY_EVENT up with 3 attachments, BINARY_EVENT down, BINARY_ACK down
        assert await cli.emit("bin", BLOB) == [BLOB]
        assert await cli.next("bin-back") == (BLOB,)
        # and a BINARY_ACK up: the server calls with bytes, the client answers with bytes
        (answer,) = await cli.emit("ask", b"\x10\x20")
        assert answer == {"answer": [{"got": b"\x10\x20", "raw": b"\x00ok\xfe"}]}
        await cli.disconnect()

    run(scenario())
    records = r.finish([cli])
    packets = check_all(records, [cli], r.server_log(), transports)["cli"]
    blob = {"a": b64(b"\x00\x01"), "b": [b64(b"xyz"), b64(b"\xff" * 1000)], "n": 3}
    assert events(packets, "client") == [
        ("BINARY_EVENT", "/", "bin", [blob], True),
        ("BINARY_EVENT", "/", "ask", [b64(b"\x10\x20")], True),
        ("BINARY_ACK", "/", None, [{"got": b64(b"\x10\x20"), "raw": b64(b"\x00ok\xfe")}], False),
    ]
    assert [p["type"] for p in packets if p["from"] == "server"] == [
        "CONNECT", "BINARY_EVENT", "BINARY_ACK", "BINARY_EVENT", "BINARY_ACK"]
    # each attachment is its own message (a WebSocket binary message, or a "b…" polling packet)
    headers = [m for m in kinds(records, "message") if (m.get("sio") or {}).get("pending")]
    assert [m["sio"].get("attachments") for m in headers] == [3, 3, 3, 1, 1, 2, 2], headers
    polling = transports == ["polling"]
    atts = [m for m in kinds(records, "message")
            if (m["opcode"] == "binary") or (polling and m["text"].startswith("b"))]
    assert len(atts) == 3 + 3 + 3 + 1 + 1 + 2 + 2


@pytest.mark.parametrize("mode", BOTH)
def test_second_namespace(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h)
    cli = Client("cli", namespaces=("/", "/admin"))

    async def scenario():
        await cli.connect(r.url, transports)
        assert cli.sids["/admin"] not in (None, cli.sid())
        assert await cli.emit("status", {"q": 1}, nsp="/admin") == [{"ok": True, "nsp": "/admin"}]
        assert await cli.next("admin-note", nsp="/admin") == ({"seen": {"q": 1}},)
        assert await cli.emit("chat", "root") == [{"echo": "root"}]
        assert await cli.next("chat-reply") == ("got: root",)
        await cli.disconnect()

    run(scenario())
    records = r.finish([cli])
    packets = check_all(records, [cli], r.server_log(), transports)["cli"]
    def control(sender):
        return [(p["type"], p["nsp"]) for p in packets if p["from"] == sender and p["type"] in ("CONNECT", "DISCONNECT")]
    assert control("client") == [("CONNECT", "/"), ("CONNECT", "/admin"), ("DISCONNECT", "/"), ("DISCONNECT", "/admin")]
    assert control("server") == [("CONNECT", "/"), ("CONNECT", "/admin")]
    # one sid per namespace, both in this one tape session
    assert {p["data"]["sid"] for p in packets if p["from"] == "server" and p["type"] == "CONNECT"} == set(cli.sids.values())
    assert {p["nsp"] for p in packets if p.get("event") in ("status", "admin-note")} == {"/admin"}


@pytest.mark.parametrize("mode", BOTH)
def test_idle_with_server_pings(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h)
    cli = Client("cli")
    idle = 3.0

    async def scenario():
        await cli.connect(r.url, transports)
        assert await cli.emit("chat", "before") == [{"echo": "before"}]
        await asyncio.sleep(idle)
        assert cli.sio.connected
        assert await cli.emit("chat", "after") == [{"echo": "after"}]
        await cli.disconnect()

    run(scenario())
    records = r.finish([cli])
    check_all(records, [cli], r.server_log(), transports)
    messages = [m for m in kinds(records, "message") if "eio" in m]
    pings = [m for m in messages if m["from"] == "server" and m["eio"] == {"type": "ping"}]
    pongs = [m for m in messages if m["from"] == "client" and m["eio"] == {"type": "pong"}]
    assert [m["text"] for m in pings[:1] + pongs[:1]] == ["2", "3"]
    # a ping every 0.5 s during the 3 s of silence, each answered (the last maybe after the close)
    assert len(pings) >= idle / PING_INTERVAL - 2, [m["t"] for m in pings]
    assert len(pongs) >= len(pings) - 1
    for ping, pong in zip(pings, pongs):
        assert ping["t"] <= pong["t"]
    before, after = [next(m for m in messages if m.get("sio", {}).get("args") == [text]) for text in ("before", "after")]
    assert after["t"] - before["t"] >= idle
    assert sum(1 for p in pings if before["t"] < p["t"] < after["t"]) >= idle / PING_INTERVAL - 2
    # the session stayed up: its only close comes after the last event
    (closed,) = kinds(records, "close")
    assert closed["t"] > after["t"] and closed["by"] == "client"


AUTH = {"token": "s3cret-token", "user": "ann"}


@pytest.mark.parametrize("redact", [True, False], ids=["redacted", "no-redact"])
@pytest.mark.parametrize("mode", ALL)
def test_auth_payload_on_connect(h, mode, redact):
    transports = TRANSPORTS[mode]
    r = Run(h, extra=[] if redact else ["--no-redact"])
    cli = Client("cli")

    async def scenario():
        await cli.connect(r.url, transports, auth=AUTH)
        assert await cli.emit("chat", "authed") == [{"echo": "authed"}]
        await cli.disconnect()

    run(scenario())
    records = r.finish([cli])
    # the server got the real values either way; the tape has them only with --no-redact
    assert [e["data"] for e in r.server_log() if e["type"] == "CONNECT" and e["dir"] == "in"] == [AUTH]
    packets = check_all(records, [cli], r.server_log(), transports, redacted=redact)["cli"]
    (connect,) = [p for p in packets if p["from"] == "client" and p["type"] == "CONNECT"]
    assert connect["data"] == ({"token": REDACTED, "user": REDACTED} if redact else AUTH)
    tape_text = r.tape.read_bytes()
    assert (b"s3cret-token" in tape_text) == (not redact)


@pytest.mark.parametrize("mode", BOTH)
def test_rejected_connect(h, mode):
    transports = TRANSPORTS[mode]
    r = Run(h, extra=["--no-redact"])
    cli = Client("cli")

    async def scenario():
        with pytest.raises(socketio.exceptions.ConnectionError):
            await cli.connect(r.url, transports, auth={"token": "bad"})
        assert await asyncio.wait_for(cli.refused, WAIT) == {"message": "bad token"}
        assert not cli.sio.connected

    run(scenario())
    records = r.finish([cli])
    assert len(sessions(records)) == 1
    (session,) = sessions(records).values()
    check_shape(session, transports)
    packets = check_logs(session, cli, r.server_log(), sids={e["sid"] for e in r.server_log()}, redacted=False)
    assert [(p["from"], p["type"], p.get("data")) for p in packets] == [
        ("client", "CONNECT", {"token": "bad"}),
        ("server", "CONNECT_ERROR", {"message": "bad token"}),
    ]


@pytest.mark.parametrize("side", ["client", "server"])
@pytest.mark.parametrize("mode", ALL)
def test_disconnect(h, mode, side):
    transports = TRANSPORTS[mode]
    r = Run(h)
    cli = Client("cli")

    async def scenario():
        await cli.connect(r.url, transports)
        assert await cli.emit("chat", "bye soon") == [{"echo": "bye soon"}]
        if side == "client":
            await cli.disconnect()
        else:
            await cli.emit("kick-me", ack=False)
            assert await cli.next("disconnect") == cli.sio.reason.SERVER_DISCONNECT
        # the client closes its Engine.IO session either way
        for _ in range(100):
            if cli.sio.eio.state == "disconnected":
                break
            await asyncio.sleep(0.05)
        assert cli.sio.eio.state == "disconnected"

    run(scenario())
    records = r.finish([cli])
    packets = check_all(records, [cli], r.server_log(), transports)["cli"]
    (disconnect,) = [p for p in packets if p["type"] == "DISCONNECT"]
    assert (disconnect["from"], disconnect["nsp"]) == (side, "/")
    assert packets[-1] is disconnect
    (closed,) = kinds(records, "close")
    dmsg = next(m for m in kinds(records, "message") if (m.get("sio") or {}).get("type") == "DISCONNECT")
    assert records.index(closed) > records.index(dmsg)
    # the client ends the session: on polling with an Engine.IO close packet after the
    # DISCONNECT, on a WebSocket with a close frame (as socket.io-client does)
    eio_close = [m for m in kinds(records, "message") if (m.get("eio") or {}).get("type") == "close"]
    assert [m["from"] for m in eio_close] == (["client"] if transports == ["polling"] else []), eio_close
    assert closed["by"] == "client", closed
