import SocketTapeWire

/// Reads a HAR log's entries into records: SocketTape's own entries exactly (their `_sockettape`
/// fields), a browser's through ``HARBrowserSessions``.
struct HARLogReader {
    private var pending: [HARPendingRecord] = []
    private var browser = HARBrowserSessions()

    /// Reads `log._sockettape` and every entry; a browser's entries are grouped at ``finish(redaction:)``.
    mutating func read(entries: [JSONValue], log: JSONObject) throws(HARError) {
        if let privateFields = log["_sockettape"]?.objectValue {
            let fields = JSONFields(members: privateFields, line: 0, prefix: "")
            do {
                try fields.checkVersion()
            } catch {
                throw HARError(location: "log._sockettape", error)
            }
            try readCarried(fields, location: "log._sockettape")
        }
        for (index, entry) in entries.enumerated() {
            let location = "log.entries[\(index)]"
            guard case .object(let members) = entry else { throw HARError(location: location, message: "not an object") }
            let fields = JSONFields(members: members, line: index, prefix: "")
            if let privateFields = members["_sockettape"]?.objectValue {
                try readOwn(fields, JSONFields(members: privateFields, line: index, prefix: "_sockettape."), location: location)
            } else {
                try browser.read(fields, location: location)
            }
        }
    }

    /// The records in tape order: by their tape position when every record has one (a SocketTape
    /// HAR), else by offset, records found earlier first among equal offsets.
    mutating func finish(redaction: HeaderRedaction) -> HARImport {
        let all = pending + browser.finish()
        let start = all.map(\.wallMicros).min() ?? 0
        let bySequence = all.allSatisfy { $0.sequence != nil }
        let ordered = all.enumerated().sorted { lhs, rhs in
            if bySequence { return lhs.element.sequence! < rhs.element.sequence! }
            let (left, right) = (lhs.element.offsetNanos(tapeStart: start), rhs.element.offsetNanos(tapeStart: start))
            return left != right ? left < right : lhs.offset < rhs.offset
        }
        let records = ordered.map { $0.element.record(tapeStart: start, redaction: redaction) }
        let sessions = Set(records.lazy.filter { if case .open = $0.body { true } else { false } }.map(\.session))
        return HARImport(records: records, sessions: sessions.count, skippedEntries: browser.skippedEntries)
    }

    /// An entry SocketTape wrote: its record, its WebSocket messages and the records it carries.
    private mutating func readOwn(_ entry: JSONFields, _ privateFields: JSONFields, location: String) throws(HARError) {
        let session: String
        do {
            session = try privateFields.string("session")
            pending.append(try ownRecord(entry, privateFields, session: session))
        } catch {
            throw HARError(location: location, error)
        }
        for decoded in try HARWebSocketMessage.decodeAll(of: entry, location: location) {
            pending.append(
                HARPendingRecord(
                    session: session, wallMicros: decoded.wallMicros, offset: decoded.offsetNanos, sequence: decoded.sequence,
                    body: .message(decoded.message)
                )
            )
        }
        try readCarried(privateFields, location: "\(location)._sockettape")
    }

    /// The `open`, `http` or `upgrade` record an entry SocketTape wrote stands for.
    private func ownRecord(_ entry: JSONFields, _ privateFields: JSONFields, session: String) throws(JSONLinesError) -> HARPendingRecord {
        let request = try entry.object("request").harRequest(target: try privateFields.optionalString("target"))
        let response = try entry.object("response").harResponse()
        let body: TapeRecord.Body
        switch try privateFields.string("kind") {
        case "open":
            body = .open(
                SessionOpen(
                    client: try privateFields.optionalString("client") ?? "", transport: try privateFields.harTransport(),
                    upstream: try privateFields.optionalString("upstream") ?? "", request: request, response: response,
                    engineIOVersion: try privateFields.optionalInteger("engineio")
                )
            )
        case "http":
            body = .http(HTTPExchange(request: request, response: response))
        case "upgrade":
            body = .upgrade(TransportUpgrade(transport: try privateFields.harTransport(), request: request, response: response))
        default:
            throw privateFields.invalid("kind", "\"open\", \"http\" or \"upgrade\"")
        }
        guard let wall = TimeText.wallMicros(timestamp: try privateFields.string("ts")) else {
            throw privateFields.invalid("ts", "an RFC 3339 time such as \"2026-11-26T12:00:00.000001Z\"")
        }
        return HARPendingRecord(
            session: session, wallMicros: wall, offset: try privateFields.offsetNanos(), sequence: try privateFields.integer("seq"), body: body
        )
    }

    /// `records`: JSON Lines objects with their tape position `seq`.
    private mutating func readCarried(_ privateFields: JSONFields, location: String) throws(HARError) {
        guard let value = privateFields.optional("records") else { return }
        guard case .array(let records) = value else { throw HARError(location: location, message: "field \"records\" must be an array") }
        for (index, carried) in records.enumerated() {
            let recordLocation = "\(location).records[\(index)]"
            guard case .object(let members) = carried else { throw HARError(location: recordLocation, message: "not an object") }
            let fields = JSONFields(members: members, line: index, prefix: "")
            do {
                let record = try fields.record(tapeStart: nil)
                pending.append(
                    HARPendingRecord(
                        session: record.session, wallMicros: record.time.wallMicros, offset: record.time.offsetNanos,
                        sequence: try fields.optionalInteger("seq"), body: record.body
                    )
                )
            } catch {
                throw HARError(location: recordLocation, error)
            }
        }
    }
}

extension JSONFields {
    /// `version` of `log._sockettape`: one this reader knows.
    fileprivate func checkVersion() throws(JSONLinesError) {
        let version: Int = try integer("version")
        guard version <= HAR.privateFieldsVersion else {
            throw invalid("version", "at most \(HAR.privateFieldsVersion) (written by a newer sockettape)")
        }
    }

    /// `transport`: `websocket` or `polling`.
    func harTransport() throws(JSONLinesError) -> Transport {
        guard let transport = Transport(name: try string("transport")) else { throw invalid("transport", "\"websocket\" or \"polling\"") }
        return transport
    }
}
