import SocketTapeWire

/// The sessions of a browser's HAR (entries without `_sockettape` fields).
///
/// A WebSocket entry (`_resourceType` websocket, a 101 response, or `_webSocketMessages`) is a
/// session of its own, unless its URL names the `sid` of an Engine.IO polling session in the same
/// HAR: then it is that session's upgrade. Polling entries (`EIO=` and `transport=polling`) group
/// into one Socket.io session per sid: the handshake (no `sid`; its answer's open packet names it)
/// is the `open` record, later requests are `http` records, and each body's Engine.IO packets are
/// polling messages — the client's at the request's start, the server's at its end (start + `time`),
/// as the proxy records them. Everything else is skipped and counted, polling requests of a sid
/// whose handshake is not in the HAR included.
struct HARBrowserSessions {
    private(set) var skippedEntries = 0
    private var entries: [Entry] = []

    /// Reads one entry; nothing is grouped until ``finish()``.
    mutating func read(_ fields: JSONFields, location: String) throws(HARError) {
        var entry: Entry
        do {
            guard let read = try Entry(fields) else {
                skippedEntries += 1
                return
            }
            entry = read
        } catch {
            throw HARError(location: location, error)
        }
        if entry.isWebSocket { entry.messages = try HARWebSocketMessage.decodeAll(of: fields, location: location) }
        entries.append(entry)
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
                let upgrade = TransportUpgrade(transport: .websocket, request: entry.request, response: entry.response)
                sessions.add(session, entry.start, .upgrade(upgrade))
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
