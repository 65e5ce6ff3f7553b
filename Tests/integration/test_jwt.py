"""JWT verification (`authentication.jwt` in --config) between real peers: tokens minted with
PyJWT; a raw WebSocket client and a `websockets` echo server; python-socketio client and server."""
from __future__ import annotations

import asyncio
import re
import time

import jwt
import pytest
import socketio
import websockets

from conftest import PEERS, PYTHON, kinds, read_log, tape_bytes
from rawws import OP_TEXT, client_handshake, frame, header
from test_policy import metric_values, scrape, write_config

SECRET = "integration-test-secret-0123456789"


def token(sub: str = "ann", expires_in: int = 600, secret: str = SECRET) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + expires_in}, secret, algorithm="HS256")


def jwt_config(h, extra: str = "") -> str:
    return write_config(h, f'authentication:\n  jwt:\n    hmac-secret: "{SECRET}"\n{extra}')


def refused_upgrade(port: int, extra: list[tuple[str, str]]) -> tuple[int, str | None, str]:
    """A raw upgrade that is not accepted: (status, WWW-Authenticate, body)."""
    conn, status, headers = client_handshake(port, "/room", extra)
    body = conn.read_exact(int(header(headers, "Content-Length")), time.monotonic() + 10)
    conn.close()
    return status, header(headers, "WWW-Authenticate"), body.decode()


def test_plain_websocket_needs_a_valid_bearer_token(h):
    echo = h.py_echo(compression=False)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}", record=tape,
                    extra=["--config", jwt_config(h), "--admin", "127.0.0.1:0"])
    good = token("ann")
    conn, status, _ = client_handshake(proxy.port, "/room", [("Authorization", f"Bearer {good}")])
    assert status == 101
    conn.send(frame(OP_TEXT, b"hello with a token"))
    assert conn.read_frame()["payload"] == b"hello with a token"
    conn.close()

    forged = token("ann", secret="somebody else's secret, long enough")
    expired = token("ann", expires_in=-3600)
    assert refused_upgrade(proxy.port, [("Authorization", f"Bearer {forged}")]) == (
        401, 'Bearer error="invalid_token", error_description="bad signature"', "sockettape: bad signature\n")
    status, challenge, body = refused_upgrade(proxy.port, [("Authorization", f"Bearer {expired}")])
    assert status == 401
    expired_by = re.fullmatch(r'Bearer error="invalid_token", error_description="token expired (\d+) s ago"', challenge)
    assert expired_by and 3600 <= int(expired_by.group(1)) < 3660, challenge
    assert body == f"sockettape: token expired {expired_by.group(1)} s ago\n"
    assert refused_upgrade(proxy.port, []) == (
        401, "Bearer", "sockettape: missing token (none in Authorization: Bearer)\n")

    # Only the session with a good token reached the server.
    opens = [e for e in read_log(echo.log) if e["type"] == "open"]
    assert [e["path"] for e in opens] == ["/room"]
    assert dict(opens[0]["headers"])["Authorization"] == f"Bearer {good}"
    admin = int(next(l for l in proxy.lines if l.startswith("admin listening on")).rsplit(":", 1)[1])
    metrics = metric_values(scrape(admin, "/metrics")[1])
    assert metrics['sockettape_policy_decisions_total{rule="authentication.jwt",action="refuse"}'] == 3
    assert proxy.stop() == 0

    records = h.export(tape)
    decisions = kinds(records, "policy")
    assert [(d["rule"], d["action"], d["from"]) for d in decisions] == [("authentication.jwt", "refuse", "client")] * 3
    assert [d["detail"] for d in decisions] == [
        "bad signature", f"token expired {expired_by.group(1)} s ago", "missing token (none in Authorization: Bearer)"]
    # Each refused upgrade is a session of its own: its open record with the 401, closed by the proxy.
    opened = kinds(records, "open")
    assert [o["response"]["status"] for o in opened] == [101, 401, 401, 401]
    for decision in decisions:
        (closed,) = [c for c in kinds(records, "close") if c["session"] == decision["session"]]
        assert closed["by"] == "proxy" and closed["error"] == decision["detail"]
    # Tokens stay off the tape: Authorization is redacted.
    recorded = tape_bytes(tape)
    assert all(t.encode() not in recorded for t in (good, forged, expired))


def test_token_in_a_query_parameter(h):
    echo = h.py_echo(compression=False)
    proxy = h.proxy(f"ws://127.0.0.1:{echo.port}",
                    extra=["--config", jwt_config(h, "    token: { query: access_token }\n")])

    async def attempt(query: str) -> str | int:
        try:
            async with websockets.connect(f"ws://127.0.0.1:{proxy.port}/feed{query}", proxy=None) as ws:
                await ws.send("ping")
                return await asyncio.wait_for(ws.recv(), 5)
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    assert asyncio.run(attempt(f"?access_token={token()}")) == "ping"
    assert asyncio.run(attempt(f"?access_token={token(expires_in=-600)}")) == 401
    assert asyncio.run(attempt("")) == 401


def start_sio_server(h):
    log = h.tmp / "sio.log"
    server = h.spawn("sio_server", [PYTHON, PEERS / "sio_server.py", "--log", log])
    server.wait_listening()
    return server, log


async def sio_connect(port: int, transport: str = "websocket", **options) -> tuple[str, object]:
    """Connects over one transport; ("connected", the chat ack) or ("refused", the connect_error data)."""
    client = socketio.AsyncClient(reconnection=False)
    errors = []
    client.on("connect_error", lambda data: errors.append(data))
    try:
        await client.connect(f"http://127.0.0.1:{port}", transports=[transport], wait_timeout=10, **options)
    except socketio.exceptions.ConnectionError:
        return "refused", errors[0] if errors else None
    try:
        return "connected", await client.call("chat", "hi", timeout=10)
    finally:
        await client.disconnect()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_socketio_connect_auth_token_is_verified(h, transport):
    server, log = start_sio_server(h)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape, extra=["--config", jwt_config(h)])

    def connect(**options):
        return asyncio.run(sio_connect(proxy.port, transport, **options))

    good = token("sio")
    assert connect(auth={"token": good}) == ("connected", {"echo": "hi"})
    forged = token("sio", secret="not the proxy's secret, long enough")
    assert connect(auth={"token": forged}) == ("refused", {"message": "unauthorized: bad signature"})
    outcome, error = connect(auth={"token": token(expires_in=-3600)})
    assert outcome == "refused" and re.fullmatch(r"unauthorized: token expired 36\d\d s ago", error["message"]), error
    assert connect() == ("refused", {"message": "unauthorized: missing token (none in the CONNECT packet's auth)"})
    # A valid token in the handshake's Authorization header: the CONNECT needs none of its own.
    assert connect(headers={"Authorization": f"Bearer {token('hdr')}"}) == ("connected", {"echo": "hi"})

    # The server's connect handler ran for the two good sessions only, the token passed on as it was.
    connects = [e for e in read_log(log) if e["type"] == "CONNECT" and e["dir"] == "in"]
    assert [e.get("data") for e in connects] == [{"token": good}, None]
    assert proxy.stop() == 0
    records = h.export(tape)
    decisions = kinds(records, "policy")
    assert [(d["rule"], d["action"]) for d in decisions] == [("authentication.jwt", "refuse")] * 3
    assert decisions[0]["detail"] == "CONNECT /: bad signature"
    assert decisions[1]["detail"].startswith("CONNECT /: token expired ")
    assert decisions[2]["detail"] == "CONNECT /: missing token (none in the CONNECT packet's auth)"
    # The proxy's answers are on the tape as its own messages.
    answers = [m["text"] for m in kinds(records, "message") if m["from"] == "proxy"]
    assert answers[0] == '44{"message":"unauthorized: bad signature"}' and len(answers) == 3, answers


def test_a_refused_connect_leaves_the_session_open_for_another(h):
    """The exact CONNECT_ERROR the proxy writes, and a second CONNECT with a good token on the same
    WebSocket reaching the server."""
    server, log = start_sio_server(h)
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", extra=["--config", jwt_config(h)])

    async def talk() -> list[str]:
        url = f"ws://127.0.0.1:{proxy.port}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, proxy=None, compression="deflate") as ws:
            seen = [await asyncio.wait_for(ws.recv(), 10)]  # the open packet
            await ws.send('40{"token":"not.a.jwt"}')
            await ws.send('40/admin,{"token":"' + token(secret="wrong secret, long enough to sign") + '"}')
            seen.append(await asyncio.wait_for(ws.recv(), 10))
            seen.append(await asyncio.wait_for(ws.recv(), 10))
            await ws.send('40{"token":"' + token("second try") + '"}')
            seen.append(await asyncio.wait_for(ws.recv(), 10))
            return seen

    seen = asyncio.run(talk())
    assert seen[0].startswith('0{"sid":')
    assert seen[1] == '44{"message":"unauthorized: malformed token: the header is not a JSON object"}'
    assert seen[2] == '44/admin,{"message":"unauthorized: bad signature"}'
    assert seen[3].startswith('40{"sid":')
    connects = [e for e in read_log(log) if e["type"] == "CONNECT" and e["dir"] == "in"]
    assert len(connects) == 1 and connects[0]["nsp"] == "/"


def test_check_config_reports_a_bad_authentication_section(h):
    config = write_config(h, """authentication:
  jwt:
    hmac-secret: too short
    jwks-file: missing.json
    leeway: a while
    token: { cookie: session }
""")
    cp = h.cli("check-config", config)
    assert cp.returncode == 2
    assert cp.stdout_text == ""
    assert cp.stderr_text.splitlines() == [
        f"{config}:3:18: authentication.jwt.hmac-secret: an HMAC secret needs at least 32 bytes (RFC 7518 §3.2), got 9",
        f"{config}:4:16: authentication.jwt.jwks-file: cannot read {h.tmp}/missing.json: No such file or directory",
        f"{config}:5:13: authentication.jwt.leeway: expected seconds (30, 30s, 2min or 1h), got 'a while'",
        f"{config}:6:14: authentication.jwt.token: unknown key 'cookie'",
    ]
    good = jwt_config(h)
    cp = h.cli("check-config", good)
    assert cp.returncode == 0, cp.stderr_text
    assert cp.stdout_text.strip() == f"{good}: ok (0 limits, 0 event rules, JWT authentication with 1 key)"


def test_engineio_handshakes_over_polling(h):
    """An Engine.IO 4 polling handshake without a token passes (its CONNECTs will need one), one
    with a bad token gets 401; an Engine.IO 3 handshake needs a token (no CONNECT for "/" follows)."""
    import urllib.error
    import urllib.request

    server, _ = start_sio_server(h)
    tape = h.tape()
    proxy = h.proxy(f"ws://127.0.0.1:{server.port}", record=tape, extra=["--config", jwt_config(h)])

    def handshake(eio: int, bearer: str | None) -> tuple[int, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{proxy.port}/socket.io/?EIO={eio}&transport=polling")
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.headers["WWW-Authenticate"]

    status, body = handshake(4, None)
    assert status == 200 and body.startswith('0{"sid":'), body
    assert handshake(4, token(secret="a secret the proxy does not know")) == (
        401, 'Bearer error="invalid_token", error_description="bad signature"')
    assert handshake(3, None) == (401, "Bearer")  # refused by the proxy (the server speaks only Engine.IO 4)
    assert proxy.stop() == 0
    decisions = kinds(h.export(tape), "policy")
    assert [(d["rule"], d["action"], d["detail"]) for d in decisions] == [
        ("authentication.jwt", "refuse", "bad signature"),
        ("authentication.jwt", "refuse", "missing token (none in Authorization: Bearer)"),
    ]
