"""The one log format of the Socket.io test peers: the fixture server (sio_server.py --log)
and the tests' clients write it, and the tests compare it to a tape's `sio` objects.

One entry per Socket.IO packet an application sends or receives, as the application sees it:
{"dir":"in"|"out","type","nsp",["event"],["args"],["ack"],["data"]} (the server adds "sid").
`type` is CONNECT, CONNECT_ERROR, EVENT, BINARY_EVENT, ACK, BINARY_ACK or DISCONNECT (the
BINARY_ kinds when the arguments hold bytes, as the protocol has it); bytes are written as
{"$bytes": base64}, the tape export's notation; "ack": true marks an event that asks for an
acknowledgement (the ids themselves stay inside python-socketio).
"""
import base64


def jsonable(value):
    """The value as JSON: bytes as {"$bytes": base64}, tuples as lists."""
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def has_bytes(value) -> bool:
    if isinstance(value, (bytes, bytearray)):
        return True
    if isinstance(value, dict):
        return any(has_bytes(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_bytes(v) for v in value)
    return False


def entry(direction: str, kind: str, nsp: str, event=None, args=None, ack=False, data=None) -> dict:
    """One log entry; `kind` EVENT or ACK becomes BINARY_EVENT or BINARY_ACK when `args` hold bytes."""
    e = {"dir": direction, "type": kind, "nsp": nsp}
    if kind in ("EVENT", "ACK") and has_bytes(args):
        e["type"] = "BINARY_" + kind
    if event is not None:
        e["event"] = event
    if args is not None:
        e["args"] = jsonable(list(args))
    if ack:
        e["ack"] = True
    if data is not None:
        e["data"] = jsonable(data)
    return e


def ack_args(value) -> list:
    """The ACK arguments python-socketio sends for a handler's return value."""
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]
