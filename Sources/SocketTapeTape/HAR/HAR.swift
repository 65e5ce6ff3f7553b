import SocketTapeWire

/// The HTTP Archive (HAR 1.2) interchange: a tape as the log a browser's developer tools export,
/// and such a log (from SocketTape or from Chrome) as a tape.
///
/// WebSocket sessions are entries in Chrome DevTools' shape (`"_resourceType":"websocket"`, their
/// messages in `_webSocketMessages`); Engine.IO long-polling exchanges are ordinary `xhr` entries.
/// What HAR has no field for but a lossless round trip needs travels in `_sockettape` private
/// fields (version ``privateFieldsVersion``). The mapping is specified in docs/tape-format.md, "HAR".
public enum HAR {
    /// The version of the `_sockettape` private fields this codec writes (`log._sockettape.version`).
    public static let privateFieldsVersion = 1

    /// The HAR document for `records`, as compact JSON followed by a newline.
    ///
    /// Frame records are not carried (HAR has no place for per-frame header facts); every other
    /// record comes back from ``decode(_:redaction:)`` equal.
    ///
    /// `log.creator` is `{"name":"sockettape","version":V}`, V being the tape format version the
    /// records follow (`1.1`).
    ///
    /// - Parameter records: the tape's records, in tape order.
    public static func encode(_ records: some Sequence<TapeRecord>) -> [UInt8] {
        var builder = HARLogBuilder()
        for record in records { builder.add(record) }
        var bytes: [UInt8] = []
        builder.log().write(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The records of a HAR document: its WebSocket entries and Engine.IO polling sessions.
    ///
    /// Entries written by ``encode(_:)`` come back exactly (their `_sockettape`
    /// fields); entries from a browser become sessions as docs/tape-format.md describes, with
    /// offsets counted from the earliest time in the document. Other entries are skipped and counted.
    ///
    /// - Parameters:
    ///   - bytes: the document.
    ///   - redaction: applied to the request and response headers of the sessions' handshakes and
    ///     HTTP exchanges (a browser's HAR holds real cookies).
    /// - Throws: ``HARError`` naming the entry (and message) that cannot be read.
    public static func decode(_ bytes: [UInt8], redaction: HeaderRedaction) throws(HARError) -> HARImport {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw HARError(location: nil, message: "invalid JSON at byte \(error.offset): \(error.reason)")
        }
        guard case .object(let top) = document, case .object(let log)? = top["log"], case .array(let entries)? = log["entries"] else {
            throw HARError(location: nil, message: "not a HAR: no \"log.entries\" array")
        }
        var reader = HARLogReader()
        try reader.read(entries: entries, log: log)
        return reader.finish(redaction: redaction)
    }
}

/// What ``HAR/decode(_:redaction:)`` found in a HAR document.
public struct HARImport: Sendable, Equatable {
    /// The tape's records in tape order.
    public var records: [TapeRecord]
    /// How many sessions they hold.
    public var sessions: Int
    /// Entries that are neither a WebSocket session nor Engine.IO polling (pages, images, scripts),
    /// and polling requests of a sid whose handshake is not in the document.
    public var skippedEntries: Int

    public init(records: [TapeRecord], sessions: Int, skippedEntries: Int) {
        self.records = records
        self.sessions = sessions
        self.skippedEntries = skippedEntries
    }
}
