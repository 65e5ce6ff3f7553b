import NIOCore
import SocketTapeWire

/// Turning JSON Lines objects back into records (docs/tape-format.md, "JSON Lines").
extension JSONFields {
    /// The session of a line without `session`: session records share this one, gaps get `""`.
    static let defaultSession = "default"

    func record(tapeStart: Int64?) throws(JSONLinesError) -> TapeRecord {
        let kind = try string("kind")
        let body: TapeRecord.Body
        switch kind {
        case "open":
            body = .open(
                SessionOpen(
                    client: try optionalString("client") ?? "",
                    transport: try transport(),
                    upstream: try optionalString("upstream") ?? "",
                    request: try object("request").request(),
                    response: try optionalObject("response")?.response(),
                    engineIOVersion: try optionalInteger("engineio")
                )
            )
        case "frame":
            let mask = try optionalString("mask").map { text throws(JSONLinesError) in
                guard text.utf8.count == 8, let key = UInt32(text, radix: 16) else { throw invalid("mask", "8 hex digits or null") }
                return key
            }
            body = .frame(
                FrameInfo(
                    from: try peer("from"),
                    opcode: try opcode("opcode"),
                    fin: try bool("fin", default: true),
                    rsv: try rsv(),
                    maskingKey: mask,
                    payloadLength: try integer("length")
                )
            )
        case "message":
            let opcode = try opcode("opcode")
            body = .message(
                MessageRecord(
                    from: try peer("from"),
                    opcode: opcode,
                    payload: try payload(opcode: opcode),
                    frames: try optionalInteger("frames") ?? 1,
                    compressed: try bool("compressed", default: false),
                    transport: try transport()
                )
            )
        case "upgrade":
            body = .upgrade(
                TransportUpgrade(
                    transport: try transport(),
                    request: try object("request").request(),
                    response: try optionalObject("response")?.response()
                )
            )
        case "http":
            body = .http(HTTPExchange(request: try object("request").request(), response: try optionalObject("response")?.response()))
        case "policy":
            body = .policy(
                PolicyDecision(
                    from: try peer("from"),
                    rule: try string("rule"),
                    action: try string("action"),
                    detail: try optionalString("detail") ?? "",
                    identity: try optionalString("identity")
                )
            )
        case "close":
            body = .close(
                SessionClose(by: try peer("by"), code: try optionalInteger("code"), reason: try optionalString("reason") ?? "", error: try optionalString("error"))
            )
        case "gap":
            body = .gap(Gap(records: try integer("records"), bytes: try optionalInteger("bytes") ?? 0, reason: try optionalString("reason") ?? ""))
        default:
            throw invalid("kind", "one of open, frame, message, http, policy, close, upgrade, gap")
        }
        let session = try optionalString("session") ?? (kind == "gap" ? "" : Self.defaultSession)
        return TapeRecord(session: session, time: try time(tapeStart: tapeStart), body: body)
    }

    /// `ts` and `t`, either of which may be missing (the rules are in docs/tape-format.md).
    private func time(tapeStart: Int64?) throws(JSONLinesError) -> RecordTime {
        let wall = try optionalString("ts").map { text throws(JSONLinesError) in
            guard let micros = TimeText.wallMicros(timestamp: text) else {
                throw invalid("ts", "an RFC 3339 time such as \"2026-11-26T12:00:00.000001Z\"")
            }
            return micros
        }
        let offset = try offsetNanos()
        switch (wall, offset) {
        case (let wall?, let offset?):
            return RecordTime(wallMicros: wall, offsetNanos: offset)
        case (let wall?, nil):
            let since = tapeStart.map { wall > $0 ? UInt64(wall - $0) * 1000 : 0 } ?? 0
            return RecordTime(wallMicros: wall, offsetNanos: since)
        case (nil, let offset?):
            return RecordTime(wallMicros: (tapeStart ?? 0) + Int64(offset / 1000), offsetNanos: offset)
        case (nil, nil):
            return RecordTime(wallMicros: tapeStart ?? 0, offsetNanos: 0)
        }
    }

    /// `transport`, `websocket` when absent.
    private func transport() throws(JSONLinesError) -> Transport {
        guard let transport = Transport(name: try optionalString("transport") ?? "websocket") else {
            throw invalid("transport", "\"websocket\" or \"polling\"")
        }
        return transport
    }

    private func rsv() throws(JSONLinesError) -> UInt8 {
        let rsv: UInt8 = try optionalInteger("rsv") ?? 0
        guard rsv <= 0b111 else { throw invalid("rsv", "an integer from 0 to 7") }
        return rsv
    }

    /// `base64` wins; then `text`; then, for close messages, `close`.
    private func payload(opcode: UInt8) throws(JSONLinesError) -> ByteBuffer {
        if let bytes = try base64("base64") { return bytes }
        if let text = try optionalString("text") { return ByteBuffer(string: text) }
        guard opcode == WebSocketOpcodeName.close, let close = try optionalObject("close") else {
            throw error("a message needs \"text\", \"base64\" or (for close) \"close\"")
        }
        let code: UInt16? = try close.optionalInteger("code")
        let reason = try close.optionalString("reason") ?? ""
        guard code != nil || reason.isEmpty else { throw close.invalid("reason", "empty when \"close.code\" is null") }
        return ClosePayload(code: code, reason: reason).payload
    }

    private func request() throws(JSONLinesError) -> HTTPRequestRecord {
        HTTPRequestRecord(method: try string("method"), target: try string("target"), headers: try headers("headers"), body: try body())
    }

    private func response() throws(JSONLinesError) -> HTTPResponseRecord {
        HTTPResponseRecord(status: try integer("status"), headers: try headers("headers"), body: try body())
    }

    private func body() throws(JSONLinesError) -> ByteBuffer {
        if let bytes = try base64("body_base64") { return bytes }
        return ByteBuffer(string: try optionalString("body") ?? "")
    }
}
