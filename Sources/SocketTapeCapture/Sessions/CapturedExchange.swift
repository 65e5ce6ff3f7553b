import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One HTTP exchange of a captured connection, put on the tape as the proxy would have recorded
/// it: an upgrade opens a WebSocket session (or moves a followed Engine.IO session to WebSocket),
/// an Engine.IO long-polling exchange joins its session by sid, anything else is an `http` record
/// of its own.
struct CapturedExchange {
    var request: HTTPMessageReader.Message
    var requestedAt: Int64
    /// `nil` when the connection ended (or the capture did) before the response came.
    var response: HTTPMessageReader.Message?
    var answeredAt: Int64
    let client: IPEndpoint
    let server: IPEndpoint

    /// Records the exchange; returns the WebSocket it switched to, if it did.
    func record(on tape: inout CaptureTape) -> CapturedWebSocket? {
        guard case .request(_, let target) = request.head.startLine else { return nil }
        var status: Int?
        if case .response(let code) = response?.head.startLine { status = code }
        let isUpgrade = request.head.isWebSocketUpgrade
        let engineIO = EngineIORequest(target: target, isWebSocketUpgrade: isUpgrade, detection: tape.options.socketIO)
        if isUpgrade {
            return recordUpgrade(engineIO: engineIO, switched: status == 101, on: &tape)
        }
        if let engineIO {
            recordPolling(engineIO, status: status, on: &tape)
        } else {
            tape.record(tape.newSession(), .http(HTTPExchange(request: tape.requestRecord(request), response: response.map(tape.responseRecord))), at: requestedAt)
        }
        return nil
    }

    // MARK: Upgrade

    private func recordUpgrade(engineIO: EngineIORequest?, switched: Bool, on tape: inout CaptureTape) -> CapturedWebSocket? {
        let requestRecord = tape.requestRecord(request)
        let responseRecord = response.map(tape.responseRecord)
        let refusal = responseRecord.map { "upgrade refused with HTTP \($0.status)" } ?? "no response to the upgrade was captured"
        let followed = engineIO?.sid.flatMap { tape.engineIOSessions[$0] }
        let session: String
        if let followed {
            session = followed.session
            tape.record(session, .upgrade(TransportUpgrade(transport: .websocket, request: requestRecord, response: responseRecord)), at: requestedAt)
            if !switched {
                tape.record(session, .policy(PolicyDecision(
                    from: .server, rule: "upgrade", action: "refused", detail: refusal
                )), at: answeredAt)
                return nil
            }
        } else {
            session = tape.newSession()
            tape.record(session, .open(SessionOpen(
                client: client.description, transport: .websocket, upstream: "ws://\(server)",
                request: requestRecord, response: responseRecord, engineIOVersion: engineIO?.version.rawValue
            )), at: requestedAt)
            if !switched {
                tape.record(session, .close(SessionClose(
                    by: .server, code: nil, reason: "", error: refusal
                )), at: answeredAt)
                return nil
            }
        }
        let extensions = (response?.head.headers ?? []).filter { $0.name.caseInsensitiveEquals("Sec-WebSocket-Extensions") }.map(\.value).joined(separator: ", ")
        var deflate: PerMessageDeflateParameters?
        do {
            deflate = extensions.isEmpty ? nil : try PerMessageDeflateParameters.negotiated(fromResponseHeader: extensions)
        } catch {
            tape.record(session, .policy(PolicyDecision(
                from: .server, rule: "protocol", action: "log",
                detail: "the server accepted extensions SocketTape cannot read (\(extensions)): \(error); compressed messages will not decode"
            )), at: answeredAt)
        }
        return CapturedWebSocket(
            session: session, engineIO: engineIO.map { ($0.version, $0.sid) }, deflate: deflate, limits: tape.options.webSocketLimits
        )
    }

    // MARK: Long-polling

    private func recordPolling(_ engineIO: EngineIORequest, status: Int?, on tape: inout CaptureTape) {
        let version = engineIO.version
        var requestRecord = tape.requestRecord(request)
        let packets = PollingExchangePackets(
            request: PollingExchangePackets.Body(request), method: requestRecord.method, status: status,
            response: response.map(PollingExchangePackets.Body.init), version: version,
            redactsAuth: tape.options.redactsSocketIOAuth
        )
        if let redacted = packets.redactedRequestBody { requestRecord.body = redacted }
        let (clientPackets, serverPackets) = (packets.client, packets.server)
        let responseRecord = response.map(tape.responseRecord)
        let session: String
        if let sid = engineIO.sid {
            if let followed = tape.engineIOSessions[sid] {
                session = followed.session
                tape.record(session, .http(HTTPExchange(request: requestRecord, response: responseRecord)), at: requestedAt)
            } else if tape.endedSIDs.contains(sid) {
                // A request that outlived its session (a long poll answered after the close): on
                // a session of its own, as the proxy records it.
                session = tape.newSession()
                tape.record(session, .http(HTTPExchange(request: requestRecord, response: responseRecord)), at: requestedAt)
            } else {
                // The capture began after this session's handshake: the session starts here.
                session = tape.newSession()
                tape.record(session, .open(SessionOpen(
                    client: client.description, transport: .polling, upstream: "http://\(server)",
                    request: requestRecord, response: responseRecord, engineIOVersion: version.rawValue
                )), at: requestedAt)
                tape.record(session, .policy(PolicyDecision(
                    from: .client, rule: "capture-gap", action: "skip",
                    detail: "the Engine.IO handshake of sid \(sid) was not captured; the session starts at its first captured request"
                )), at: requestedAt)
                tape.follow(sid: sid, session: session, version: version)
            }
        } else if let opened = PollingTranscript.handshake(in: serverPackets) {
            session = tape.newSession()
            tape.record(session, .open(SessionOpen(
                client: client.description, transport: .polling, upstream: "http://\(server)",
                request: requestRecord, response: responseRecord, engineIOVersion: version.rawValue
            )), at: requestedAt)
            tape.follow(sid: opened.sid, session: session, version: version)
        } else {
            session = tape.newSession()
            tape.record(session, .http(HTTPExchange(request: requestRecord, response: responseRecord)), at: requestedAt)
        }
        for message in PollingTranscript.messages(clientPackets, raw: request.body, from: .client, version: version) {
            tape.record(session, .message(message), at: requestedAt)
        }
        for message in PollingTranscript.messages(serverPackets, raw: response?.body ?? ByteBuffer(), from: .server, version: version) {
            tape.record(session, .message(message), at: answeredAt)
        }
        guard let sid = engineIO.sid else { return }
        if let end = packets.sessionEnd(status: status), tape.forget(sid: sid) {
            tape.record(session, .close(end), at: answeredAt)
        }
    }
}

private extension PollingExchangePackets.Body {
    /// A captured message's body, with the headers that say how to read it.
    init(_ message: HTTPMessageReader.Message) {
        self.init(
            message.body, contentType: message.head.header("Content-Type"), contentEncoding: message.head.header("Content-Encoding")
        )
    }
}
