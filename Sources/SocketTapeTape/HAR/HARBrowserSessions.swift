import NIOCore
import SocketTapeWire

/// The sessions of a browser's HAR (entries without `_sockettape` fields).
///
/// A WebSocket entry (`_resourceType` websocket, a 101 response, or `_webSocketMessages`) is a
/// session of its own, unless its URL names the `sid` of an Engine.IO polling session in the same
/// HAR: then it is that session's upgrade. Polling entries (`EIO=` and `transport=polling`) group
/// into one Socket.io session per sid: the handshake (no `sid`; its answer's open packet names it)
/// is the `open` record, later requests are `http` records, and each body's Engine.IO packets are
/// polling messages — the client's at the request's start, the server's at its end (start + `time`),
/// as the proxy records them. Everything else is skipped and counted.
struct HARBrowserSessions {
    private(set) var skippedEntries = 0
    private var entries: [Entry] = []

    /// Reads one entry; nothing is grouped until ``finish()``.
    mutating func read(_ fields: JSONFields, location: String) throws(HARError) {
        let entry: Entry
        do {
            guard let read = try Entry(fields) else {
                skippedEntries += 1
                return
            }
            entry = read
        } catch {
            throw HARError(location: location, error)
        }
        let messages = entry.isWebSocket ? try HARWebSocketMessage.decodeAll(of: fields, location: location) : []
        entries.append(entry.with(messages: messages))
    }

    /// The records of every session, each ended by a close record.
    mutating func finish() -> [HARPendingRecord] {
        var sessionOfSid: [String: String] = [:]
        for entry in entries where !entry.isWebSocket && entry.sid == nil {
            if let sid = entry.handshakeSid() { sessionOfSid[sid] = "har-\(sessionOfSid.count + 1)" }
        }
        var sessions = HARBrowserSessionLog(nextNumber: sessionOfSid.count + 1)
        for entry in entries {
            switch (entry.isWebSocket, entry.sid.flatMap { sessionOfSid[$0] }) {
            case (true, let session?):
                sessions.add(session, entry.start, .upgrade(TransportUpgrade(transport: .websocket, request: entry.request, response: entry.response)))
                sessions.addWebSocketMessages(of: entry, to: session)
            case (true, nil):
                let session = sessions.newSession()
                let open = SessionOpen(
                    client: HARBrowserSessions.unknownClient, transport: .websocket, upstream: entry.upstream, request: entry.request,
                    response: entry.response, engineIOVersion: entry.engineIOVersion?.rawValue
                )
                sessions.add(session, entry.start, .open(open))
                sessions.addWebSocketMessages(of: entry, to: session)
            case (false, let session?):
                sessions.add(session, entry.start, .http(HTTPExchange(request: entry.request, response: entry.response)))
                sessions.addPollingMessages(of: entry, to: session)
            case (false, nil):
                guard entry.sid == nil, let sid = entry.handshakeSid(), let session = sessionOfSid[sid] else {
                    skippedEntries += 1
                    continue
                }
                let open = SessionOpen(
                    client: HARBrowserSessions.unknownClient, transport: .polling, upstream: entry.upstream, request: entry.request,
                    response: entry.response, engineIOVersion: entry.engineIOVersion?.rawValue
                )
                sessions.add(session, entry.start, .open(open))
                sessions.addPollingMessages(of: entry, to: session)
            }
        }
        return sessions.closed()
    }

    /// The client address of an imported browser session: a browser's HAR does not say it.
    static let unknownClient = "0.0.0.0:0"
}

extension HARBrowserSessions {
    /// A browser entry that is a WebSocket session or an Engine.IO polling request.
    struct Entry {
        var request: HTTPRequestRecord
        var response: HTTPResponseRecord?
        var isWebSocket: Bool
        /// The Engine.IO revision the URL's `EIO` names.
        var engineIOVersion: EngineIOVersion?
        var sid: String?
        var upstream: String
        var start: Int64
        /// When the response had arrived: `startedDateTime` + `time`.
        var end: Int64
        var messages: [HARWebSocketMessage.Decoded] = []

        /// Reads the entry; nil when it is neither WebSocket nor Engine.IO polling.
        init?(_ fields: JSONFields) throws(JSONLinesError) {
            let requestFields = try fields.object("request")
            let url = try requestFields.string("url")
            let target = HARURL.target(of: url)
            response = try fields.object("response").harResponse()
            isWebSocket = try fields.optionalString("_resourceType") == "websocket" || response?.status == 101
                || fields.optional("_webSocketMessages") != nil
            engineIOVersion = try? EngineIOVersion(requestTarget: target)
            guard isWebSocket || (engineIOVersion != nil && EngineIOTransport(requestTarget: target) == .polling) else { return nil }
            guard let start = TimeText.wallMicros(timestamp: try fields.string("startedDateTime")) else {
                throw fields.invalid("startedDateTime", "an ISO 8601 time such as \"2026-11-26T12:00:00.123Z\"")
            }
            let milliseconds: Double
            switch fields.optional("time") {
            case nil: milliseconds = 0
            case .number(let text)?: milliseconds = Double(text) ?? 0
            default: throw fields.invalid("time", "a number of milliseconds")
            }
            self.start = start
            end = start + Int64(max(0, milliseconds) * 1000)
            request = try requestFields.harRequest(target: target)
            sid = queryParameter("sid", in: target).map(String.init)
            upstream = HARURL.upstream(url: url, serverIPAddress: try fields.optionalString("serverIPAddress"))
        }

        func with(messages: [HARWebSocketMessage.Decoded]) -> Entry {
            var entry = self
            entry.messages = messages
            return entry
        }

        /// The sid a polling handshake's answer names (its first packet is the open packet).
        func handshakeSid() -> String? {
            guard let version = engineIOVersion, let response, response.status == 200,
                  case .success(let packets) = HAREngineIOBody.packets(response.body, headers: response.headers, version: version),
                  let open = packets.first
            else { return nil }
            return try? EngineIOHandshake(open).sid
        }
    }
}
