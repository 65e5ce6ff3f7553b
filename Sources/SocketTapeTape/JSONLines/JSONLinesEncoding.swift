import NIOCore
import SocketTapeWire

/// Writing records as JSON Lines objects; field order is fixed (docs/tape-format.md, "JSON Lines").
extension JSONOutput {
    mutating func writeRecord(_ record: TapeRecord, socketIO: SocketIOAnnotation?) {
        beginObject()
        key("kind")
        string(record.body.jsonKind)
        key("session")
        string(record.session)
        key("ts")
        timestamp(wallMicros: record.time.wallMicros)
        key("t")
        seconds(offsetNanos: record.time.offsetNanos)
        switch record.body {
        case .open(let open):
            key("client")
            string(open.client)
            key("transport")
            string(open.transport.name)
            if let version = open.engineIOVersion {
                key("engineio")
                number(version)
            }
            key("upstream")
            string(open.upstream)
            writeExchange(request: open.request, response: open.response, emptyBodies: false)
        case .frame(let frame):
            writePeer("from", frame.from)
            writeOpcode(frame.opcode)
            key("fin")
            bool(frame.fin)
            key("rsv")
            number(frame.rsv)
            key("mask")
            if let mask = frame.maskingKey { string(hex(mask)) } else { null() }
            key("length")
            number(frame.payloadLength)
        case .message(let message):
            writePeer("from", message.from)
            writeOpcode(message.opcode)
            writePayload(of: message)
            key("frames")
            number(message.frames)
            key("compressed")
            bool(message.compressed)
            if message.transport != .websocket {
                key("transport")
                string(message.transport.name)
            }
            if let socketIO { writeSocketIO(socketIO) }
        case .http(let exchange):
            writeExchange(request: exchange.request, response: exchange.response, emptyBodies: true)
        case .policy(let policy):
            writePeer("from", policy.from)
            key("rule")
            string(policy.rule)
            key("action")
            string(policy.action)
            key("detail")
            string(policy.detail)
            if let identity = policy.identity {
                key("identity")
                string(identity)
            }
        case .close(let close):
            writePeer("by", close.by)
            key("code")
            if let code = close.code { number(code) } else { null() }
            key("reason")
            string(close.reason)
            key("error")
            if let error = close.error { string(error) } else { null() }
        case .upgrade(let upgrade):
            key("transport")
            string(upgrade.transport.name)
            writeExchange(request: upgrade.request, response: upgrade.response, emptyBodies: false)
        case .gap(let gap):
            key("records")
            number(gap.records)
            key("bytes")
            number(gap.bytes)
            key("reason")
            string(gap.reason)
        }
        endObject()
    }

    private mutating func writePeer(_ name: StaticString, _ peer: Peer) {
        key(name)
        string(peer.name)
    }

    private mutating func writeOpcode(_ opcode: UInt8) {
        key("opcode")
        if let name = WebSocketOpcodeName.name(of: opcode) { string(name) } else { number(opcode) }
    }

    /// `text` for valid UTF-8 text, `close` (plus `base64` when lossy) for close, `base64` otherwise.
    private mutating func writePayload(of message: MessageRecord) {
        if message.opcode == WebSocketOpcodeName.close {
            let close = ClosePayload(message.payload)
            key("close")
            beginObject()
            key("code")
            if let code = close.code { number(code) } else { null() }
            key("reason")
            string(close.reason)
            endObject()
            if close.isLossless { return }
        } else if message.opcode == WebSocketOpcodeName.text, UTF8Validator.isValid(message.payload) {
            key("text")
            string(utf8: message.payload)
            return
        }
        key("base64")
        base64(message.payload)
    }

    private mutating func writeExchange(request: HTTPRequestRecord, response: HTTPResponseRecord?, emptyBodies: Bool) {
        key("request")
        beginObject()
        key("method")
        string(request.method)
        key("target")
        string(request.target)
        writeHeaders(request.headers)
        writeBody(request.body, ifEmpty: emptyBodies)
        endObject()
        key("response")
        guard let response else { return null() }
        beginObject()
        key("status")
        number(response.status)
        writeHeaders(response.headers)
        writeBody(response.body, ifEmpty: emptyBodies)
        endObject()
    }

    private mutating func writeHeaders(_ headers: [HeaderField]) {
        key("headers")
        beginArray()
        for header in headers {
            beginArray()
            string(header.name)
            string(header.value)
            endArray()
        }
        endArray()
    }

    /// `body` when UTF-8, `body_base64` otherwise; an empty body is left out unless `ifEmpty`.
    private mutating func writeBody(_ body: ByteBuffer, ifEmpty: Bool) {
        guard ifEmpty || body.readableBytes > 0 else { return }
        if let text = body.validatedUTF8String {
            key("body")
            string(text)
        } else {
            key("body_base64")
            base64(body)
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension TapeRecord.Body {
    /// The `kind` field.
    var jsonKind: String {
        switch self {
        case .open: "open"
        case .frame: "frame"
        case .message: "message"
        case .http: "http"
        case .policy: "policy"
        case .close: "close"
        case .upgrade: "upgrade"
        case .gap: "gap"
        }
    }
}
