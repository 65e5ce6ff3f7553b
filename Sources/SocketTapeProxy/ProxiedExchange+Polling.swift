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
        let status = self.response.map { Int($0.status.code) }
        let packets = PollingExchangePackets(
            request: PollingExchangePackets.Body(requestBody.kept, headers: self.request.headers),
            method: self.request.method.rawValue, status: status,
            response: self.response.map { PollingExchangePackets.Body(responseBody.kept, headers: $0.headers) },
            version: engineIO.version, redactsAuth: engineIO.redactsAuth
        )
        var request = request
        if let redacted = packets.redactedRequestBody { request.body = redacted }
        let (clientPackets, serverPackets) = (packets.client, packets.server)

        let opened = engineIO.request.sid == nil ? PollingTranscript.handshake(in: serverPackets) : nil
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
        for message in PollingTranscript.messages(clientPackets, raw: requestBody.kept, from: .client, version: engineIO.version) {
            recorder.record(.message(message), at: startedAt)
        }
        let answeredAt = recorder.now()
        let server: Peer = answeredByProxy ? .proxy : .server
        for message in PollingTranscript.messages(serverPackets, raw: responseBody.kept, from: server, version: engineIO.version) {
            recorder.record(.message(message), at: answeredAt)
        }

        // The session ends once: a request still pending when it ended does not end it again.
        guard let sid = engineIO.request.sid, engineIO.knownSession != nil else { return }
        if let end = packets.sessionEnd(status: status), engineIO.sessions.remove(sid) {
            recorder.record(.close(end))
        }
    }
}

private extension PollingExchangePackets.Body {
    /// A relayed body as kept, with the headers that say how to read it.
    init(_ bytes: ByteBuffer, headers: HTTPHeaders) {
        self.init(bytes, contentType: headers.first(name: "Content-Type"), contentEncoding: headers.first(name: "Content-Encoding"))
    }
}
