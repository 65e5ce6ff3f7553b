import SocketTapeWire

/// The JSON Lines interchange of DESIGN.md: one JSON object per record, for people and other tools.
///
/// Encoding is hand-written into a byte buffer (no `JSONSerialization`) and lossless: every record
/// decodes back to an equal record, and `encode(decode(line))` reproduces any line `encode` wrote.
/// The fields and the rules for hand-written lines (missing `session`, `ts` or `t`) are in
/// docs/tape-format.md, "JSON Lines".
public enum JSONLines {
    /// One line for `record`, without the trailing newline.
    ///
    /// `frame` records are encoded like any other; whether to print them is the caller's choice.
    /// Records carry their exact offset, so the line needs nothing from the tape's header.
    ///
    /// - Parameters:
    ///   - socketIO: for a message of a Socket.io session, what ``SocketIOAnnotator`` decoded it
    ///     to; written as `eio`, `sio`, `eio_error` and `sio_error` at the end of the line.
    ///     Decoding ignores those fields (the payload is authoritative).
    public static func encode(_ record: TapeRecord, socketIO: SocketIOAnnotation? = nil) -> String {
        var output = JSONOutput(capacity: 160 + record.estimatedEncodedSize * 4 / 3)
        output.writeRecord(record, socketIO: socketIO)
        return output.string
    }

    /// Appends the line for `record` and a newline to `buffer`: the allocation-free way to write
    /// many lines (export). `socketIO` as in ``encode(_:socketIO:)``.
    public static func encode(_ record: TapeRecord, socketIO: SocketIOAnnotation? = nil, appendingTo buffer: inout [UInt8]) {
        var output = JSONOutput(appendingTo: &buffer)
        output.writeRecord(record, socketIO: socketIO)
        output.ascii("\n")
        output.finish(into: &buffer)
    }

    /// Decodes one line (without its newline).
    ///
    /// - Parameters:
    ///   - lineNumber: the 1-based line number, for error messages.
    ///   - tapeStart: the wall clock (µs) that `t` counts from, for lines with only one of `ts`
    ///     and `t`; `nil` means the Unix epoch for `t`-only lines and offset 0 for `ts`-only lines.
    /// - Throws: ``JSONLinesError`` naming the line and the field, such as
    ///   `line 12: field "from" must be "client", "server" or "proxy"`.
    public static func decode(_ line: some StringProtocol, lineNumber: Int, tapeStart: Int64? = nil) throws(JSONLinesError) -> TapeRecord {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw JSONLinesError(line: lineNumber, message: "invalid JSON at column \(error.column): \(error.reason)")
        }
        guard case .object(let members) = value else {
            throw JSONLinesError(line: lineNumber, message: "not a JSON object")
        }
        return try JSONFields(members: members, line: lineNumber, prefix: "").record(tapeStart: tapeStart)
    }
}
