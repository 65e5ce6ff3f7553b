"""Socket.io sessions decoded when a tape is read: `export --format jsonl` (eio/sio fields),
`inspect … messages` (decoded lines, --event, --namespace, --acks, --follow), the summary and
the sessions view. The tape is built with `import --format jsonl` from hand-written lines."""
from __future__ import annotations

import json
import re

import pytest


BASE = "2026-11-26T12:00:00"


def line(kind: str, t: float, session: str = "sio-1", **fields) -> str:
    """One JSON Lines record, keys in the order export writes them."""
    record = {"kind": kind, "session": session, "ts": f"{BASE}.{round(t * 1e6):06d}Z", "t": t, **fields}
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def message(t: float, sender: str, text: str | None = None, base64: str | None = None,
            polling: bool = False, session: str = "sio-1") -> str:
    fields = {"from": sender, "opcode": "text" if text is not None else "binary"}
    fields.update({"text": text} if text is not None else {"base64": base64})
    fields.update({"frames": 0 if polling else 1, "compressed": False})
    if polling:
        fields["transport"] = "polling"
    return line("message", t, session, **fields)


HANDSHAKE = ('0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,'
             '"pingTimeout":20000,"maxPayload":1000000}')

# (input line, what export appends to it: "" for lines exported as they are)
SESSION = [
    (line("open", 0.001, client="127.0.0.1:50000", transport="polling", engineio=4, upstream="http://127.0.0.1:3000",
          request={"method": "GET", "target": "/socket.io/?EIO=4&transport=polling&t=N8hyd6w",
                   "headers": [["Host", "127.0.0.1:8080"]]},
          response={"status": 200, "headers": [["Content-Type", "text/plain; charset=UTF-8"]]}), ""),
    (message(0.002, "server", HANDSHAKE, polling=True),
     ',"eio":{"type":"open","data":{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,'
     '"pingTimeout":20000,"maxPayload":1000000}}'),
    (message(0.003, "client", "40", polling=True), ',"eio":{"type":"message","data":"0"},"sio":{"type":"CONNECT","nsp":"/"}'),
    (message(0.004, "server", '40{"sid":"wZX3oN0bSVIhsaknAAAI"}', polling=True),
     ',"eio":{"type":"message","data":"0{\\"sid\\":\\"wZX3oN0bSVIhsaknAAAI\\"}"},'
     '"sio":{"type":"CONNECT","nsp":"/","data":{"sid":"wZX3oN0bSVIhsaknAAAI"}}'),
    (message(0.005, "client", '42["chat","hello from polling"]', polling=True),
     ',"eio":{"type":"message","data":"2[\\"chat\\",\\"hello from polling\\"]"},'
     '"sio":{"type":"EVENT","nsp":"/","event":"chat","args":["hello from polling"]}'),
    (line("upgrade", 0.006, transport="websocket",
          request={"method": "GET", "target": "/socket.io/?EIO=4&transport=websocket&sid=lv_VI97HAXpY6yYWAAAC",
                   "headers": [["Upgrade", "websocket"]]},
          response={"status": 101, "headers": [["Upgrade", "websocket"]]}), ""),
    (message(0.007, "client", "2probe"), ',"eio":{"type":"ping","data":"probe"}'),
    (message(0.008, "server", "3probe"), ',"eio":{"type":"pong","data":"probe"}'),
    (message(0.009, "client", "5"), ',"eio":{"type":"upgrade"}'),
    (message(0.01, "client", '427["chat",{"text":"hi"}]'),
     ',"eio":{"type":"message","data":"27[\\"chat\\",{\\"text\\":\\"hi\\"}]"},'
     '"sio":{"type":"EVENT","nsp":"/","event":"chat","args":[{"text":"hi"}],"id":7}'),
    (message(0.011, "server", '437[{"ok":true}]'),
     ',"eio":{"type":"message","data":"37[{\\"ok\\":true}]"},"sio":{"type":"ACK","nsp":"/","args":[{"ok":true}],"id":7}'),
    (message(0.012, "server", '42["chat",{"from":"bob","text":"hey"}]'),
     ',"eio":{"type":"message","data":"2[\\"chat\\",{\\"from\\":\\"bob\\",\\"text\\":\\"hey\\"}]"},'
     '"sio":{"type":"EVENT","nsp":"/","event":"chat","args":[{"from":"bob","text":"hey"}]}'),
    (message(0.013, "client", '452-["upload",{"_placeholder":true,"num":0},{"name":"b.bin","data":{"_placeholder":true,"num":1}}]'),
     ',"eio":{"type":"message","data":"52-[\\"upload\\",{\\"_placeholder\\":true,\\"num\\":0},{\\"name\\":\\"b.bin\\",'
     '\\"data\\":{\\"_placeholder\\":true,\\"num\\":1}}]"},"sio":{"type":"BINARY_EVENT","nsp":"/","event":"upload",'
     '"args":[{"_placeholder":true,"num":0},{"name":"b.bin","data":{"_placeholder":true,"num":1}}],"attachments":2,"pending":true}'),
    (message(0.014, "client", base64="AQID"), ',"eio":{"type":"message","data":{"$bytes":"AQID"}},"sio":{"attachment":0,"of":2}'),
    (message(0.015, "client", base64="BAUG"),
     ',"eio":{"type":"message","data":{"$bytes":"BAUG"}},"sio":{"type":"BINARY_EVENT","nsp":"/","event":"upload",'
     '"args":[{"$bytes":"AQID"},{"name":"b.bin","data":{"$bytes":"BAUG"}}],"attachments":2,"attachment":1,"of":2}'),
    (message(0.016, "client", '40/admin,{"token":"wrong"}'),
     ',"eio":{"type":"message","data":"0/admin,{\\"token\\":\\"wrong\\"}"},'
     '"sio":{"type":"CONNECT","nsp":"/admin","data":{"token":"wrong"}}'),
    (message(0.017, "server", '44/admin,{"message":"Not authorized"}'),
     ',"eio":{"type":"message","data":"4/admin,{\\"message\\":\\"Not authorized\\"}"},'
     '"sio":{"type":"CONNECT_ERROR","nsp":"/admin","data":{"message":"Not authorized"}}'),
    (message(0.018, "client", '42{"oops":1}'),
     ',"eio":{"type":"message","data":"2{\\"oops\\":1}"},'
     '"sio_error":"Socket.IO: EVENT payload must be an array, not an object (at byte 2)"'),
    (message(0.019, "client", '4{"type":2,"data":["chat","x"],"nsp":"/"}'),
     ',"eio":{"type":"message","data":"{\\"type\\":2,\\"data\\":[\\"chat\\",\\"x\\"],\\"nsp\\":\\"/\\"}"},'
     '"sio_error":"Socket.IO: unknown packet type \'{\' (at byte 1); not the default Socket.IO parser\'s format '
     '(a custom parser, such as socket.io-json-parser?)"'),
    (message(0.02, "server", base64="gaR0eXBlAg=="),
     ',"eio":{"type":"message","data":{"$bytes":"gaR0eXBlAg=="}},"sio_error":"Socket.IO: a binary message with no '
     'BINARY_EVENT or BINARY_ACK waiting for attachments: not the default Socket.IO parser\'s format '
     '(socket.io-msgpack-parser or another custom parser?)"'),
    (message(0.021, "client", "9garbage"), ',"eio_error":"Engine.IO: unknown packet type \'9\' (at byte 0)"'),
    (message(0.022, "server", "2"), ',"eio":{"type":"ping"}'),
    (message(0.023, "client", "3"), ',"eio":{"type":"pong"}'),
    (message(0.024, "client", "41"), ',"eio":{"type":"message","data":"1"},"sio":{"type":"DISCONNECT","nsp":"/"}'),
    (line("message", 0.025, **{"from": "client", "opcode": "close", "close": {"code": 1000, "reason": ""},
                               "frames": 1, "compressed": False}), ""),
    (line("close", 0.026, by="client", code=1000, reason="", error=None), ""),
    # A plain WebSocket session: the same text is not decoded there.
    (line("open", 0.03, session="ws-1", client="127.0.0.1:50001", transport="websocket",
          upstream="ws://127.0.0.1:3000", request={"method": "GET", "target": "/plain", "headers": []},
          response={"status": 101, "headers": []}), ""),
    (message(0.031, "client", '42["chat","not socket.io"]', session="ws-1"), ""),
    (line("close", 0.032, session="ws-1", by="client", code=1000, reason="", error=None), ""),
]

EXPORTED = [source[:-1] + tail + "}" if tail else source for source, tail in SESSION]

MESSAGES_TEXT = """\
    0.002000  sio-1  server→client  text    poll  eio open sid=lv_VI97HAXpY6yYWAAAC upgrades=[websocket] pingInterval=25000 pingTimeout=20000 maxPayload=1000000
    0.003000  sio-1  client→server  text    poll  CONNECT /
    0.004000  sio-1  server→client  text    poll  CONNECT / {"sid":"wZX3oN0bSVIhsaknAAAI"}
    0.005000  sio-1  client→server  text    poll  EVENT / chat ["hello from polling"]
    0.007000  sio-1  client→server  text    ws    eio ping "probe"
    0.008000  sio-1  server→client  text    ws    eio pong "probe"
    0.009000  sio-1  client→server  text    ws    eio upgrade
    0.010000  sio-1  client→server  text    ws    EVENT / chat [{"text":"hi"}] id=7
    0.011000  sio-1  server→client  text    ws    ACK / [{"ok":true}] id=7
    0.012000  sio-1  server→client  text    ws    EVENT / chat [{"from":"bob","text":"hey"}]
    0.013000  sio-1  client→server  text    ws    BINARY_EVENT / upload [{"_placeholder":true,"num":0},{"name":"b.bin","data":{"_placeholder":true,"num":1}}] (waits for 2 attachments)
    0.014000  sio-1  client→server  binary  ws    attachment 1/2 (3 B) of BINARY_EVENT / upload
    0.015000  sio-1  client→server  binary  ws    attachment 2/2 (3 B) → BINARY_EVENT / upload [{"$bytes":"AQID"},{"name":"b.bin","data":{"$bytes":"BAUG"}}]
    0.016000  sio-1  client→server  text    ws    CONNECT /admin {"token":"wrong"}
    0.017000  sio-1  server→client  text    ws    CONNECT_ERROR /admin {"message":"Not authorized"}
    0.018000  sio-1  client→server  text    ws    error: Socket.IO: EVENT payload must be an array, not an object (at byte 2)  raw "42{"oops":1}" (12 B)
    0.019000  sio-1  client→server  text    ws    error: Socket.IO: unknown packet type '{' (at byte 1); not the default Socket.IO parser's format (a custom parser, such as socket.io-json-parser?)  raw "4{"type":2,"data":["chat","x"],"nsp":"/"}" (41 B)
    0.020000  sio-1  server→client  binary  ws    error: Socket.IO: a binary message with no BINARY_EVENT or BINARY_ACK waiting for attachments: not the default Socket.IO parser's format (socket.io-msgpack-parser or another custom parser?)  raw 7 B: 81 a4 74 79 70 65 02
    0.021000  sio-1  client→server  text    ws    error: Engine.IO: unknown packet type '9' (at byte 0)  raw "9garbage" (8 B)
    0.022000  sio-1  server→client  text    ws    eio ping
    0.023000  sio-1  client→server  text    ws    eio pong
    0.024000  sio-1  client→server  text    ws    DISCONNECT /
    0.025000  sio-1  client→server  close   code 1000 ""
    0.031000  ws-1  client→server  text    "42["chat","not socket.io"]" (26 B)
""".splitlines()


@pytest.fixture
def tape(h):
    source = h.tmp / "sio.jsonl"
    source.write_text("\n".join(s for s, _ in SESSION) + "\n")
    path = h.tape("sio")
    h.cli("import", source, "--format", "jsonl", "-o", path, check=True)
    return path


def inspect(h, tape, *args) -> list[str]:
    return h.cli("inspect", tape, *args, check=True).stdout_text.splitlines()


def test_export_appends_eio_and_sio_to_socketio_messages(h, tape):
    lines = h.cli("export", tape, "--format", "jsonl", check=True).stdout_text.splitlines()
    assert lines == EXPORTED
    # the plain WebSocket session's message is exported as it is
    assert "eio" not in json.loads(lines[-2]) and lines[-2] == SESSION[-2][0]


def test_export_import_export_is_byte_identical(h, tape):
    first = h.cli("export", tape, "--format", "jsonl", check=True).stdout
    again = h.tmp / "again.jsonl"
    again.write_bytes(first)
    second_tape = h.tape("again")
    h.cli("import", again, "--format", "jsonl", "-o", second_tape, check=True)
    assert h.cli("export", second_tape, "--format", "jsonl", check=True).stdout == first


def test_import_takes_the_payload_not_the_decoded_fields(h):
    # eio/sio that contradict the payload are ignored: export decodes the payload again
    source = h.tmp / "edited.jsonl"
    edited = json.loads(EXPORTED[2])
    edited["sio"] = {"type": "EVENT", "nsp": "/", "event": "forged", "args": []}
    source.write_text(EXPORTED[0] + "\n" + json.dumps(edited) + "\n")
    path = h.tape("edited")
    h.cli("import", source, "--format", "jsonl", "-o", path, check=True)
    records = h.export(path)
    assert records[1]["sio"] == {"type": "CONNECT", "nsp": "/"}


def test_inspect_messages_shows_socketio_decoded(h, tape):
    assert inspect(h, tape, "messages") == MESSAGES_TEXT


@pytest.mark.parametrize("args,times", [
    (["--event", "chat"], ["0.005000", "0.010000", "0.012000"]),
    (["--event", "upload"], ["0.013000", "0.014000", "0.015000"]),  # the header and both attachments
    (["--namespace", "/admin"], ["0.016000", "0.017000"]),
    (["--acks"], ["0.010000", "0.011000"]),
    (["--acks", "--from", "server"], ["0.011000"]),
    (["--event", "chat", "--namespace", "/admin"], []),
    (["--event", "chat", "--session", "ws-1"], []),  # not a Socket.io session
], ids=["event", "binary-event", "namespace", "acks", "acks-from-server", "nothing", "plain-session"])
def test_socketio_filters(h, tape, args, times):
    shown = inspect(h, tape, "messages", *args)
    assert [l.split()[0] for l in shown] == times
    assert all(l in MESSAGES_TEXT for l in shown)


def test_json_lines_of_inspect_carry_eio_and_sio_like_export(h, tape):
    shown = inspect(h, tape, "messages", "--acks", "--json")
    assert shown == [EXPORTED[9], EXPORTED[10]]
    assert [json.loads(l)["sio"]["id"] for l in shown] == [7, 7]


def test_summary_counts_engineio_and_socketio(h, tape):
    text = inspect(h, tape)
    start = text.index(next(l for l in text if l.startswith("engine.io")))
    assert text[start:start + 18] == [
        "engine.io 1 session(s): v4 ×1; polling only 0, polling→websocket 1, websocket only 0",
        "handshake 1 seen: pingInterval 25000; pingTimeout 20000; maxPayload 1000000; upgrades [websocket]",
        "",
        "socket.io        client→server           server→client",
        "  CONNECT        2                       1",
        "  CONNECT_ERROR  -                       1",
        "  DISCONNECT     1                       -",
        "  EVENT          2                       1",
        "  BINARY_EVENT   1                       -",
        "  ACK            -                       1",
        "  BINARY_ACK     -                       -",
        "  decode errors  3                       1",
        "events",
        "  / chat         2                       1",
        "  / upload       1                       -",
        "first error      sio-1 at 0.018000 s, client→server: Socket.IO: EVENT payload must be an array, "
        "not an object (at byte 2)",
        "",
        "closes    1000 by client ×2",
    ]

    summary = json.loads(h.cli("inspect", tape, "--json", check=True).stdout_text)
    assert summary["engineio"] == {
        "sessions": 1, "versions": {"4": 1},
        "transports": {"polling_only": 0, "upgraded": 1, "websocket_only": 0},
        "handshakes": 1, "pingInterval": {"25000": 1}, "pingTimeout": {"20000": 1},
        "maxPayload": {"1000000": 1}, "upgrades": {"websocket": 1},
    }
    sio = summary["socketio"]
    assert sio["packets"] == {
        "client": {"CONNECT": 2, "CONNECT_ERROR": 0, "DISCONNECT": 1, "EVENT": 2, "BINARY_EVENT": 1, "ACK": 0, "BINARY_ACK": 0},
        "server": {"CONNECT": 1, "CONNECT_ERROR": 1, "DISCONNECT": 0, "EVENT": 1, "BINARY_EVENT": 0, "ACK": 1, "BINARY_ACK": 0},
    }
    assert sio["events"] == [
        {"nsp": "/", "event": "chat", "from": "client", "count": 2},
        {"nsp": "/", "event": "chat", "from": "server", "count": 1},
        {"nsp": "/", "event": "upload", "from": "client", "count": 1},
    ]
    assert sio["decode_errors"] == {"client": 3, "server": 1}
    assert sio["first_decode_error"] == {
        "session": "sio-1", "t": 0.018, "from": "client",
        "error": "Socket.IO: EVENT payload must be an array, not an object (at byte 2)",
    }


def test_summary_of_a_plain_tape_has_no_socketio_part(h):
    source = h.tmp / "plain.jsonl"
    source.write_text("\n".join(s for s, _ in SESSION[-3:]) + "\n")
    path = h.tape("plain")
    h.cli("import", source, "--format", "jsonl", "-o", path, check=True)
    assert not any(l.startswith(("engine.io", "socket.io")) for l in inspect(h, path))
    summary = json.loads(h.cli("inspect", path, "--json", check=True).stdout_text)
    assert "engineio" not in summary and "socketio" not in summary


def test_sessions_view_names_engineio_and_the_sid(h, tape):
    text = inspect(h, tape, "sessions")
    assert text[0].startswith("sio-1 ")
    assert "  polling→websocket eio4 sid=lv_VI97HAXpY6yYWAAAC  127.0.0.1:50000  /socket.io/?EIO=4" in text[0]
    assert "  websocket  127.0.0.1:50001  /plain  " in text[1] and "eio" not in text[1]
    rows = [json.loads(l) for l in inspect(h, tape, "sessions", "--json")]
    assert (rows[0]["transport"], rows[0]["engineio"], rows[0]["sid"]) == ("polling→websocket", 4, "lv_VI97HAXpY6yYWAAAC")
    assert "engineio" not in rows[1] and "sid" not in rows[1]


def test_socketio_filters_need_the_messages_view(h, tape):
    cp = h.cli("inspect", tape, "--event", "chat")
    assert cp.returncode == 2
    assert "--event, --namespace and --acks filter the messages view" in cp.stderr_text


def split_tape(data: bytes) -> tuple[bytes, list[bytes]]:
    """The header and the records (length, CRC, body) of a one-segment tape (docs/tape-format.md)."""
    position = 20 + int.from_bytes(data[12:16], "little")
    header, records = data[:position], []
    while position < len(data):
        end = position + 8 + int.from_bytes(data[position:position + 4], "little")
        records.append(data[position:end])
        position = end
    return header, records


def test_follow_with_socketio_filters(h, tape):
    header, records = split_tape(tape.read_bytes())
    assert records[-1][8] == 0xFF  # the seal
    growing = h.tape("growing")
    # The open record and the polling packets up to the first chat event; no seal yet.
    growing.write_bytes(header + b"".join(records[:5]))
    follower = h.spawn("follower", [h.bin, "inspect", growing, "messages", "--event", "chat", "--follow"])
    chat = re.compile(r".*EVENT / chat ")
    assert follower.wait_line(chat, timeout=15).string == MESSAGES_TEXT[3]
    with growing.open("ab") as f:
        f.write(b"".join(records[5:-1]))
    assert follower.wait_line(chat, timeout=15).string == MESSAGES_TEXT[7]
    assert follower.wait_line(chat, timeout=15).string == MESSAGES_TEXT[9]
    assert follower.running()
    with growing.open("ab") as f:
        f.write(records[-1])
    assert follower.wait(15) == 0
    assert follower.lines == [MESSAGES_TEXT[3], MESSAGES_TEXT[7], MESSAGES_TEXT[9]]
