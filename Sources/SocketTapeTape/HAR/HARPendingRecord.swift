/// A record read from a HAR before the tape's start is known.
struct HARPendingRecord {
    var session: String
    var wallMicros: Int64
    /// The exact offset, when the HAR carries it (SocketTape's `t`); else counted from the tape's start.
    var offset: UInt64?
    /// The record's position on the tape it was exported from.
    var sequence: Int?
    var body: TapeRecord.Body

    func offsetNanos(tapeStart: Int64) -> UInt64 {
        offset ?? UInt64(max(0, wallMicros - tapeStart)) * 1000
    }

    func record(tapeStart: Int64, redaction: HeaderRedaction) -> TapeRecord {
        var body = body
        switch body {
        case .open(var open):
            (open.request, open.response) = Self.redacted(open.request, open.response, redaction)
            body = .open(open)
        case .http(var exchange):
            (exchange.request, exchange.response) = Self.redacted(exchange.request, exchange.response, redaction)
            body = .http(exchange)
        case .upgrade(var upgrade):
            (upgrade.request, upgrade.response) = Self.redacted(upgrade.request, upgrade.response, redaction)
            body = .upgrade(upgrade)
        case .frame, .message, .policy, .close, .gap:
            break
        }
        return TapeRecord(session: session, time: RecordTime(wallMicros: wallMicros, offsetNanos: offsetNanos(tapeStart: tapeStart)), body: body)
    }

    private static func redacted(
        _ request: HTTPRequestRecord, _ response: HTTPResponseRecord?, _ redaction: HeaderRedaction
    ) -> (HTTPRequestRecord, HTTPResponseRecord?) {
        var (request, response) = (request, response)
        request.headers = redaction.apply(request.headers)
        if let headers = response?.headers { response?.headers = redaction.apply(headers) }
        return (request, response)
    }
}
