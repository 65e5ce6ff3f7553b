import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// Recording Engine.IO long-polling requests as part of their Socket.io session.
///
/// The handshake request (no `sid`) opens the session: an `open` record with transport polling,
/// and the session's sid is followed from then on. Every later request of that sid is an `http`
/// record of the same session, followed by one `message` record per Engine.IO packet in its
/// bodies (transport polling): the client's packets (a POST) at the time of the request, the
/// server's (a GET's answer) at the time of the response. A close packet, or the server no longer
/// knowing the sid (HTTP 400), ends the session.
extension ProxiedExchange {
    mutating func recordPolling(
        _ engineIO: EngineIOContext, request: HTTPRequestRecord, response: HTTPResponseRecord?, client: String, upstream: String
    ) {
        var request = request
        var clientPackets = Self.packets(in: requestBody.kept, headers: self.request.headers, version: engineIO.version)
        if engineIO.redactsAuth, case .success(let packets) = clientPackets,
           let redacted = Self.redactingAuth(packets, version: engineIO.version) {
            clientPackets = .success(redacted)
            request.body = (try? EngineIOPayload.encode(redacted, version: engineIO.version, binary: Self.isBinary(self.request.headers)))
                ?? ByteBuffer(string: HeaderRedaction.replacement)
        }
        let serverPackets: Result<[EngineIOPacket], EngineIOError>
        // A GET's answer carries the server's packets; a POST's answer is just "ok".
        if let head = self.response, head.status == .ok, self.request.method == .GET {
            serverPackets = Self.packets(in: responseBody.kept, headers: head.headers, version: engineIO.version)
        } else {
            serverPackets = .success([])
        }

        let opened = engineIO.request.sid == nil ? Self.handshake(in: serverPackets) : nil
        if let opened {
            recorder.record(.open(SessionOpen(
                client: client, transport: .polling, upstream: upstream,
                request: request, response: response, engineIOVersion: engineIO.version.rawValue
            )), at: startedAt)
            let timeout = TimeAmount.milliseconds(Int64(opened.pingInterval + opened.pingTimeout)) + .seconds(5)
            engineIO.sessions.register(
                sid: opened.sid, session: recorder.session, version: engineIO.version, timeout: timeout,
                policy: engineIO.policy, countedIdentity: engineIO.countedIdentity
            )
        } else {
            engineIO.countedIdentity.map(engineIO.sessions.releaseCount)
            recorder.record(.http(HTTPExchange(request: request, response: response)), at: startedAt)
        }
        recordPackets(clientPackets, raw: requestBody.kept, from: .client, version: engineIO.version, at: startedAt)
        recordPackets(serverPackets, raw: responseBody.kept, from: answeredByProxy ? .proxy : .server, version: engineIO.version, at: recorder.now())

        // The session ends once: a request still pending when it ended does not end it again.
        guard let sid = engineIO.request.sid, engineIO.knownSession != nil else { return }
        if let closedBy = Self.closer(client: clientPackets, server: serverPackets) {
            guard engineIO.sessions.remove(sid) else { return }
            recorder.record(.close(SessionClose(by: closedBy, code: nil, reason: "Engine.IO close packet", error: nil)))
        } else if self.response?.status == .badRequest, engineIO.sessions.remove(sid) {
            recorder.record(.close(SessionClose(
                by: .server, code: nil, reason: "", error: "the server answered a request of this session with HTTP 400"
            )))
        }
    }

    /// One `message` record per packet, in the form a WebSocket message would carry it; a body that
    /// does not decode is recorded whole, as one message, so readers can show why.
    private mutating func recordPackets(
        _ packets: Result<[EngineIOPacket], EngineIOError>, raw: ByteBuffer, from peer: Peer, version: EngineIOVersion, at time: RecordTime
    ) {
        let messages: [(opcode: WebSocketOpcode, payload: ByteBuffer)]
        switch packets {
        case .success(let packets):
            messages = packets.compactMap { packet in
                (try? packet.webSocketMessage(version: version)).map { ($0.opcode, $0.payload) }
            }
        case .failure:
            messages = [(UTF8Validator.isValid(raw) ? .text : .binary, raw)]
        }
        for message in messages {
            recorder.record(.message(MessageRecord(
                from: peer, opcode: message.opcode.rawValue, payload: message.payload,
                frames: 0, compressed: false, transport: .polling
            )), at: time)
        }
    }

    /// The packets of a body, after undoing its `Content-Encoding` (servers gzip larger polling responses).
    private static func packets(in body: ByteBuffer, headers: HTTPHeaders, version: EngineIOVersion) -> Result<[EngineIOPacket], EngineIOError> {
        guard body.readableBytes > 0 else { return .success([]) }
        return Result { () throws(EngineIOError) in
            var body = body
            if let encoding = headers.first(name: "Content-Encoding") {
                do throws(HTTPContentDecoding.Failure) {
                    body = try HTTPContentDecoding.decode(body, contentEncoding: encoding, maxSize: maxDecodedBodyBytes)
                } catch {
                    throw EngineIOError(offset: nil, reason: error.reason)
                }
            }
            return try EngineIOPayload.decode(body, version: version, binary: isBinary(headers))
        }
    }

    /// The largest polling body decoded after decompression (Engine.IO's default maxPayload is 1 MB).
    private static let maxDecodedBodyBytes = 64 << 20

    /// Engine.IO v3 sends binary payloads as `application/octet-stream`.
    private static func isBinary(_ headers: HTTPHeaders) -> Bool {
        headers["Content-Type"].contains { $0.lowercased().hasPrefix("application/octet-stream") }
    }

    private static func handshake(in packets: Result<[EngineIOPacket], EngineIOError>) -> EngineIOHandshake? {
        guard case .success(let packets) = packets, let open = packets.first, open.type == .open else { return nil }
        return try? EngineIOHandshake(open)
    }

    private static func closer(client: Result<[EngineIOPacket], EngineIOError>, server: Result<[EngineIOPacket], EngineIOError>) -> Peer? {
        func hasClose(_ packets: Result<[EngineIOPacket], EngineIOError>) -> Bool {
            (try? packets.get())?.contains { $0.type == .close } ?? false
        }
        return hasClose(client) ? .client : hasClose(server) ? .server : nil
    }

    /// `packets` with Socket.IO CONNECT auth values redacted, or `nil` when none had any.
    private static func redactingAuth(_ packets: [EngineIOPacket], version: EngineIOVersion) -> [EngineIOPacket]? {
        var changed = false
        let redacted = packets.map { packet -> EngineIOPacket in
            guard packet.type == .message, let text = packet.text,
                  let replaced = SocketIOAuthRedaction.redact(engineIOText: ByteBuffer(string: "4" + text), version: version),
                  let decoded = try? EngineIOPacket.decode(webSocketText: replaced)
            else { return packet }
            changed = true
            return decoded
        }
        return changed ? redacted : nil
    }
}
