import SocketTapeWire

/// Builds the HAR log of a tape, record by record in tape order.
///
/// An `open` record starts an entry (websocket, or `xhr` for a polling handshake), as do `http`
/// and `upgrade` records. WebSocket messages go to their session's websocket entry's
/// `_webSocketMessages`; every other record (polling messages, policy decisions, the close) is
/// carried as its JSON Lines object in `_sockettape.records` of the session's latest entry, or of
/// the log when the session has no entry (gaps, sessions whose open record is not on the tape).
/// Each record keeps its position among the records HAR carries (`seq`; frame records are left
/// out), so an import restores the tape's order and exporting the import gives the same document.
struct HARLogBuilder {
    private var entries: [HAREntryDraft] = []
    private var webSocketEntry: [String: Int] = [:]
    private var latestEntry: [String: Int] = [:]
    private var upstreams: [String: String] = [:]
    private var logRecords: [JSONValue] = []
    private var sequence = 0

    mutating func add(_ record: TapeRecord) {
        let session = record.session
        switch record.body {
        case .frame:
            return
        case .open(let open):
            upstreams[session] = open.upstream
            let opened: JSONObject = [
                "client": .string(open.client),
                "upstream": .string(open.upstream),
                "transport": .string(open.transport.name),
                "engineio": open.engineIOVersion.map { .integer($0) } ?? .null,
            ]
            startEntry(record, request: open.request, response: open.response, webSocket: open.transport == .websocket, fields: opened)
        case .http(let exchange):
            startEntry(record, request: exchange.request, response: exchange.response, webSocket: false, fields: [:])
        case .upgrade(let upgrade):
            startEntry(
                record, request: upgrade.request, response: upgrade.response, webSocket: upgrade.transport == .websocket,
                fields: ["transport": .string(upgrade.transport.name)]
            )
        case .message(let message) where message.transport == .websocket && webSocketEntry[session] != nil:
            entries[webSocketEntry[session]!].messages?.append(HARWebSocketMessage.json(message, time: record.time, sequence: sequence))
        case .message, .policy, .close, .gap:
            let carried = carriedRecord(record)
            if let index = latestEntry[session] {
                entries[index].records.append(carried)
            } else {
                logRecords.append(carried)
            }
        }
        sequence += 1
    }

    /// The document: `{"log":{"version":"1.2","creator":…,"entries":[…],"_sockettape":{…}}}`.
    func log() -> JSONValue {
        [
            "log": [
                "version": "1.2",
                "creator": ["name": "sockettape", "version": .string("\(TapeFormat.major).\(TapeFormat.minor)")],
                "entries": .array(entries.map(\.json)),
                "_sockettape": ["version": .integer(HAR.privateFieldsVersion), "records": .array(logRecords)],
            ]
        ]
    }

    private mutating func startEntry(
        _ record: TapeRecord, request: HTTPRequestRecord, response: HTTPResponseRecord?, webSocket: Bool, fields: JSONObject
    ) {
        let session = record.session
        let url = HARURL.url(target: request.target, headers: request.headers, upstream: upstreams[session] ?? "", webSocket: webSocket)
        var privateFields: JSONObject = [
            "session": .string(session),
            "kind": .string(record.body.jsonKind),
            "seq": .integer(sequence),
            "ts": .string(TimeText.timestamp(wallMicros: record.time.wallMicros)),
            "t": HARTime.offset(record.time.offsetNanos),
        ]
        privateFields.members += fields.members
        if HARURL.target(of: url) != request.target { privateFields["target"] = .string(request.target) }
        let entry = HAREntryDraft(
            startedWallMicros: record.time.wallMicros, request: HARExchangeJSON.request(request, url: url),
            response: HARExchangeJSON.response(response), privateFields: privateFields, messages: webSocket ? [] : nil
        )
        entries.append(entry)
        latestEntry[session] = entries.count - 1
        if webSocket { webSocketEntry[session] = entries.count - 1 }
    }

    /// The record's JSON Lines object with its tape position (`seq`) appended.
    private func carriedRecord(_ record: TapeRecord) -> JSONValue {
        var output = JSONOutput(capacity: 256)
        output.writeRecord(record, socketIO: nil)
        // The JSON Lines encoder always writes an object.
        guard case .object(var object)? = try? JSONValue(parsing: output.bytes) else { preconditionFailure("JSON Lines wrote invalid JSON") }
        object["seq"] = .integer(sequence)
        return .object(object)
    }
}

/// One entry while the log is being built: its messages and carried records still grow.
struct HAREntryDraft {
    var startedWallMicros: Int64
    var request: JSONValue
    var response: JSONValue
    var privateFields: JSONObject
    /// `_webSocketMessages`; nil for an `xhr` entry.
    var messages: [JSONValue]?
    var records: [JSONValue] = []

    var json: JSONValue {
        var entry: JSONObject = [
            "startedDateTime": HARTime.startedDateTime(wallMicros: startedWallMicros),
            "time": 0,
            "request": request,
            "response": response,
            "cache": [:],
            "timings": ["blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 0, "receive": 0],
            "_resourceType": messages == nil ? "xhr" : "websocket",
        ]
        if let messages { entry["_webSocketMessages"] = .array(messages) }
        var privateFields = self.privateFields
        privateFields["records"] = .array(records)
        entry["_sockettape"] = .object(privateFields)
        return .object(entry)
    }
}
