import SocketTapeWire

/// The records of a browser HAR's sessions as they are found, and how each one ended.
struct HARBrowserSessionLog {
    private var records: [HARPendingRecord] = []
    private var sessions: [String] = []
    private var endings: [String: (close: SessionClose, wall: Int64)] = [:]
    private var lastWall: [String: Int64] = [:]
    private var nextNumber: Int

    init(nextNumber: Int) {
        self.nextNumber = nextNumber
    }

    /// A session id not used by a polling session: `har-N`.
    mutating func newSession() -> String {
        defer { nextNumber += 1 }
        return "har-\(nextNumber)"
    }

    mutating func add(_ session: String, _ wall: Int64, _ body: TapeRecord.Body) {
        if lastWall[session] == nil { sessions.append(session) }
        lastWall[session] = max(lastWall[session] ?? wall, wall)
        records.append(HARPendingRecord(session: session, wallMicros: wall, offset: nil, sequence: nil, body: body))
    }

    /// The entry's `_webSocketMessages`; the first close message ends the session (unless it ended before).
    mutating func addWebSocketMessages(of entry: HARBrowserSessions.Entry, to session: String) {
        for decoded in entry.messages {
            add(session, decoded.wallMicros, .message(decoded.message))
            if decoded.message.opcode == WebSocketOpcodeName.close {
                let payload = ClosePayload(decoded.message.payload)
                end(session, SessionClose(by: decoded.message.from, code: payload.code, reason: payload.reason, error: nil), at: decoded.wallMicros)
            }
        }
    }

    /// The packets of a polling request's bodies: the client's (a POST) at its start, the server's
    /// (a GET's 200 answer) at its end; an Engine.IO close packet ends the session.
    mutating func addPollingMessages(of entry: HARBrowserSessions.Entry, to session: String) {
        guard let version = entry.engineIOVersion else { return }
        let client = HAREngineIOBody.messages(entry.request.body, headers: entry.request.headers, version: version, from: .client)
        client.messages.forEach { add(session, entry.start, .message($0)) }
        if client.closes { end(session, Self.engineIOClose(by: .client), at: entry.start) }
        guard entry.request.method == "GET", let response = entry.response, response.status == 200 else { return }
        let server = HAREngineIOBody.messages(response.body, headers: response.headers, version: version, from: .server)
        server.messages.forEach { add(session, entry.end, .message($0)) }
        if server.closes { end(session, Self.engineIOClose(by: .server), at: entry.end) }
    }

    /// Every record, each session followed by its close record: the first close message or
    /// Engine.IO close packet, else "unknown, not in the HAR" (by the client, at its last record).
    func closed() -> [HARPendingRecord] {
        records + sessions.map { session in
            let (close, wall) = endings[session]
                ?? (close: SessionClose(by: .client, code: nil, reason: "", error: "unknown, not in the HAR"), wall: lastWall[session] ?? 0)
            return HARPendingRecord(session: session, wallMicros: wall, offset: nil, sequence: nil, body: .close(close))
        }
    }

    private mutating func end(_ session: String, _ close: SessionClose, at wall: Int64) {
        if endings[session] == nil { endings[session] = (close, wall) }
    }

    private static func engineIOClose(by peer: Peer) -> SessionClose {
        SessionClose(by: peer, code: nil, reason: "Engine.IO close packet", error: nil)
    }
}
