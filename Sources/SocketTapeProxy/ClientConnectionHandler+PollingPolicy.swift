import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// The policy on Engine.IO long-polling: a session's POSTs are checked packet by packet before
/// the server sees them (``PollingBodyGate``), and packets of the proxy's own for the client
/// (drop notices, CONNECT_ERRORs) travel in the answer to one of its GETs.
extension ClientConnectionHandler {
    /// Whether the body of `head` goes through the policy first: a POST of a polling session the
    /// proxy follows, when the policy checks messages.
    func gatesPollingBody(_ head: HTTPRequestHead, _ engineIO: EngineIOContext?) -> Bool {
        guard head.method == .POST, let engineIO, engineIO.request.transport == .polling,
              let sid = engineIO.request.sid, engineIO.knownSession != nil
        else { return false }
        return engineIO.sessions.policy(of: sid) != nil
    }

    /// Collects a gated POST's body, at most the message size limit (413 beyond).
    func holdPollingBody(_ bytes: ByteBuffer) {
        var bytes = bytes
        exchange?.pollingGate?.body.writeBuffer(&bytes)
        let held = exchange?.pollingGate?.body.readableBytes ?? 0
        let limit = configuration.webSocketLimits.maxMessageSize
        if UInt64(held) > limit {
            respondLocally(.payloadTooLarge, "polling body over the message size limit of \(limit) bytes")
        }
    }

    /// Decides a gated POST whose body is complete: forwards it (whole or without its dropped
    /// packets), answers `ok` itself when nothing is left, asks again later on `delay`, or on
    /// `close` sends the server a close packet in the client's name and answers the client 429.
    func decidePollingBody() {
        guard var exchange, var gate = exchange.pollingGate, let engineIO = exchange.engineIO,
              let sid = engineIO.request.sid
        else { return }
        let binary = exchange.request.headers["Content-Type"].contains { $0.lowercased().hasPrefix("application/octet-stream") }
        let outcome = engineIO.sessions.withPolicy(of: sid) { policy in
            gate.advance(policy: &policy, version: engineIO.version, binary: binary, now: .now())
        } ?? .forward(nil)
        let notices = gate.takeNotices()
        exchange.pollingGate = gate
        self.exchange = exchange
        if !notices.isEmpty {
            engineIO.sessions.send(notices, to: sid)
        }
        switch outcome {
        case .forward(let body):
            sendUpstream(gate.upstreamHead, body: body ?? gate.body)
        case .answerOK:
            answerLocally(.ok, body: ByteBuffer(string: "ok"), contentType: "text/html", error: nil)
        case .delay:
            let startedAt = exchange.startedAt
            context?.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(10)) { [self] in
                guard self.exchange?.startedAt == startedAt else { return }
                decidePollingBody()
            }
        case .close(let rule, let detail):
            self.exchange?.closedByPolicy = "policy: \(rule)"
            self.exchange?.answerInstead = (.tooManyRequests, "policy: \(rule): \(detail)")
            let close = (try? EngineIOPayload.encode([EngineIOPacket(type: .close)], version: engineIO.version)) ?? ByteBuffer(string: "1")
            sendUpstream(gate.upstreamHead, body: close)
        }
    }

    /// Sends a decided POST upstream with `body` (its length set anew).
    private func sendUpstream(_ head: HTTPRequestHead, body: ByteBuffer) {
        var head = head
        head.headers.remove(name: "Transfer-Encoding")
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        let parts: [HTTPClientRequestPart] = [.head(head), .body(.byteBuffer(body)), .end(nil)]
        if let upstream = exchange?.upstream {
            for part in parts { upstream.write(part, promise: nil) }
            upstream.flush()
        } else {
            exchange?.waitingParts.append(contentsOf: parts)
        }
    }

    /// For a GET of a polling session the proxy follows: answers at once when the proxy has
    /// packets waiting for the client (returns true); otherwise leaves word with the session that
    /// this GET waits, so that packets queued meanwhile end its wait (``deliverOutbox(to:)``).
    func answersPollFromOutbox() -> Bool {
        guard let exchange, let engineIO = exchange.engineIO, engineIO.request.transport == .polling,
              let sid = engineIO.request.sid, engineIO.knownSession != nil, let context
        else { return false }
        let packets = engineIO.sessions.takeOutbox(of: sid)
        guard packets.isEmpty else {
            answerPoll(with: packets, version: engineIO.version)
            return true
        }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let startedAt = exchange.startedAt
        engineIO.sessions.setWaitingGet(of: sid) {
            handler.eventLoop.execute { handler.value.deliverOutbox(to: startedAt) }
        }
        return false
    }

    /// Ends the wait of the GET that started at `startedAt` with the proxy's packets, if it still
    /// waits for the server. The server's long poll is let go by closing its connection before it
    /// answered; the client polls again at once. (A packet the server hands to that poll at the
    /// same instant can be lost with it: README, "Limits".)
    private func deliverOutbox(to startedAt: RecordTime) {
        guard let exchange, exchange.startedAt == startedAt, exchange.response == nil,
              let engineIO = exchange.engineIO, let sid = engineIO.request.sid
        else { return }
        let packets = engineIO.sessions.takeOutbox(of: sid)
        guard !packets.isEmpty else { return }
        if let channel = exchange.upstream {
            self.exchange?.upstream = nil
            if channel === upstream { upstream = nil }
            channel.close(promise: nil)
        }
        answerPoll(with: packets, version: engineIO.version)
    }

    private func answerPoll(with packets: [EngineIOPacket], version: EngineIOVersion) {
        guard let body = try? EngineIOPayload.encode(packets, version: version) else { return }
        exchange?.answeredByProxy = true
        answerLocally(.ok, body: body, contentType: "text/plain; charset=UTF-8", error: nil)
    }
}
