import NIOCore
import SocketTapePolicy
import SocketTapeTape
import SocketTapeWire

/// One relayed WebSocket session: forwards every frame exactly as received, parses a copy,
/// records it, and enforces RFC 6455 on both directions.
///
/// Both channels live on one event loop, so the relay needs no locks. Frames travel whole: a
/// frame is forwarded once it has been parsed and found valid, with its original bytes
/// (fragmentation, masking key, RSV bits and length encoding untouched). A frame that breaks the
/// protocol is not forwarded: its sender gets a close frame with the RFC close code and the other
/// side a clean 1001, and both are on the tape.
///
/// Memory per session is bounded by one partial frame per direction (at most
/// ``WebSocketLimits/maxFrameSize`` plus one read) and the peer's outbound buffer up to the
/// channel's write-buffer high-water mark: while one side is not writable, the relay stops
/// reading from the other. While the tape writer is behind, it stops reading from both.
final class WebSocketRelay {
    private let eventLoop: any EventLoop
    private var recorder: SessionRecorder
    private var fromClient: WebSocketStreamParser
    private var fromServer: WebSocketStreamParser
    private var clientHandler: WebSocketRelayHandler?
    private var serverHandler: WebSocketRelayHandler?
    private let registry: ConnectionRegistry
    private let idleTimeout: TimeAmount
    private var lastActivity: NIODeadline
    private var idleCheck: Scheduled<Void>?
    /// The first close frame seen, which decides who closed the session.
    private var firstClose: (by: Peer, code: UInt16?, reason: String)?
    private var finished = false
    /// False while the HTTP codecs are being removed: bytes they hand over wait in the parsers,
    /// since nothing may be written through the codecs in the meantime.
    private var started = false
    /// The Engine.IO version of a Socket.io session whose CONNECT auth values are redacted on the tape.
    private let redactsSocketIOAuth: EngineIOVersion?
    /// Called once when the session ends.
    private var sessionEnded: (() -> Void)?
    /// Rate limits and validation, when configured.
    private var policy: RelayPolicy?
    /// Whether the server compresses with context takeover: then dropping one of its messages
    /// would break the client's inflater, and the policy closes instead (DESIGN: never forward a
    /// stream the other side can no longer inflate).
    private let serverContextTakeover: Bool
    /// A message the policy delayed, per side: that side is not read or parsed until it goes.
    private var delayedFromClient: WebSocketMessage?
    private var delayedFromServer: WebSocketMessage?
    /// The proxy's own messages to the client, and where in the server's stream they may go.
    private var injection: ClientInjection
    /// Holds both sides' reads while the tape writer is behind.
    var tapeGate: TapeReadGate

    init(
        eventLoop: any EventLoop,
        recorder: SessionRecorder,
        deflate: PerMessageDeflateParameters?,
        limits: WebSocketLimits,
        registry: ConnectionRegistry,
        idleTimeout: TimeAmount,
        redactsSocketIOAuth: EngineIOVersion? = nil,
        sessionEnded: (() -> Void)? = nil,
        policy: RelayPolicy? = nil
    ) {
        self.redactsSocketIOAuth = redactsSocketIOAuth
        self.sessionEnded = sessionEnded
        self.policy = policy
        self.injection = ClientInjection(socketIO: policy?.session.socketIO != nil)
        self.serverContextTakeover = deflate.map { !$0.serverNoContextTakeover } ?? false
        self.eventLoop = eventLoop
        self.recorder = recorder
        self.tapeGate = TapeReadGate(writer: recorder.writer)
        self.fromClient = WebSocketStreamParser(sender: .client, deflate: deflate, limits: limits)
        self.fromServer = WebSocketStreamParser(sender: .server, deflate: deflate, limits: limits)
        self.registry = registry
        self.idleTimeout = idleTimeout
        self.lastActivity = .now()
    }

    /// Installs the relay handlers at the end of both pipelines.
    ///
    /// Call before removing the HTTP codecs, so bytes they buffered after the handshake reach the relay.
    func attach(client: any Channel, server: any Channel) throws {
        let clientHandler = WebSocketRelayHandler(side: .client, relay: self)
        let serverHandler = WebSocketRelayHandler(side: .server, relay: self)
        try client.pipeline.syncOperations.addHandler(clientHandler)
        try server.pipeline.syncOperations.addHandler(serverHandler)
        self.clientHandler = clientHandler
        self.serverHandler = serverHandler
        registry.add(self, on: eventLoop)
        scheduleIdleCheck()
    }

    // MARK: Relaying

    /// Starts relaying once the pipelines hold nothing but the relay handlers (and TLS).
    func start() {
        started = true
        relayBuffered(from: .client)
        relayBuffered(from: .server)
        readComplete(from: .client)
        readComplete(from: .server)
    }

    func received(_ bytes: ByteBuffer, from side: WebSocketRole) {
        guard !finished else { return }
        lastActivity = .now()
        switch side {
        case .client: fromClient.append(bytes)
        case .server: fromServer.append(bytes)
        }
        if started {
            relayBuffered(from: side)
        }
    }

    private func relayBuffered(from side: WebSocketRole) {
        switch side {
        case .client: relay(parser: &fromClient, from: .client)
        case .server: relay(parser: &fromServer, from: .server)
        }
    }

    private func relay(parser: inout WebSocketStreamParser, from side: WebSocketRole) {
        guard delayed(side) == nil else { return }
        let receiver = handler(side.peer)
        let gated = policy?.watches(side) ?? false
        let sender = side.recordedPeer
        // The frames of one read arrived together: one clock reading serves all their records.
        let time = recorder.now()
        while true {
            let parsed: ParsedFrame?
            do {
                parsed = try parser.nextFrame()
            } catch {
                violation(error, by: side)
                return
            }
            guard let frame = parsed else { return }
            let header = frame.header
            let isData = header.opcode <= WebSocketOpcode.binary.rawValue
            if gated, isData {
                policy?.hold(frame.wire, from: side)
            } else {
                receiver?.write(frame.wire)
                if side == .server, isData { injection.forwardedFrame(fin: header.fin) }
            }
            recorder.record(.frame(FrameInfo(
                from: sender, opcode: header.opcode, fin: header.fin, rsv: header.rsv,
                maskingKey: header.maskingKey, payloadLength: header.payloadLength
            )), at: time)
            if let message = frame.message {
                recorder.metrics?.message(from: sender, bytes: message.payload.readableBytes)
                recorder.record(.message(MessageRecord(
                    from: sender, opcode: message.opcode.rawValue, payload: ownedPayload(message, from: side),
                    frames: UInt32(clamping: message.frames), compressed: message.compressed
                )), at: time)
                if message.opcode == .close, firstClose == nil {
                    noteClose(message.payload, by: sender)
                }
                if side == .server, isData { injection.serverMessage(message) }
                if gated, isData, !decide(message, from: side, retrying: false) {
                    return
                }
            }
            if side == .server { sendInjectedFrames() }
        }
    }

    // MARK: Policy

    /// Carries out the policy's verdict on a complete data message whose frames are held; returns
    /// whether relaying from `side` goes on (not after a delay or a close).
    private func decide(_ message: WebSocketMessage, from side: WebSocketRole, retrying: Bool) -> Bool {
        guard var policy else { return true }
        let checked = policy.check(message, from: side, now: .now())
        guard case .act(var action, let rule, var detail) = checked.verdict else {
            forward(policy.release(from: side), to: side.peer)
            self.policy = policy
            return true
        }
        if action == .drop, side == .server, serverContextTakeover {
            action = .close
            detail += " (closed instead of dropped: the server compresses with context takeover, so the client could not inflate what follows)"
        }
        if !(retrying && action == .delay) {
            recorder.record(.policy(PolicyDecision(
                from: side.recordedPeer, rule: rule, action: checked.recordedAction(action), detail: detail, identity: policy.identity
            )))
        }
        switch action {
        case .log:
            forward(policy.release(from: side), to: side.peer)
        case .drop:
            _ = policy.release(from: side)
            if let reply = checked.reply(from: policy.session, side: side) {
                sendToClient(reply)
            }
        case .close:
            _ = policy.release(from: side)
            self.policy = policy
            closeSession(offender: side, code: 1008, reason: "policy: \(rule)", peerReason: "peer closed by policy")
            return false
        case .delay:
            self.policy = policy
            setDelayed(message, from: side)
            eventLoop.assumeIsolated().scheduleTask(in: Self.delayRetry) { [self] in
                retryDelayed(from: side)
            }
            return false
        }
        self.policy = policy
        return true
    }

    /// Sends the client a Socket.IO packet of the proxy's own, recorded as from the proxy. It never
    /// lands inside a fragmented server message or between a binary packet and its attachments
    /// (``ClientInjection``). It goes uncompressed, which permessage-deflate allows for any
    /// message and which leaves the client's inflater context as it was.
    func sendToClient(_ packet: SocketIOPacket) {
        let message = packet.webSocketMessage
        recorder.record(.message(MessageRecord(from: .proxy, opcode: message.opcode.rawValue, payload: message.payload, frames: 1, compressed: false)))
        injection.hold(WebSocketFrameEncoder.encode(opcode: message.opcode.rawValue, payload: message.payload))
        sendInjectedFrames()
        clientHandler?.flush()
    }

    /// Writes the proxy's waiting frames to the client, when the server's stream is at a boundary.
    private func sendInjectedFrames() {
        for frame in injection.takeReady() { clientHandler?.write(frame) }
    }

    /// How often a delayed message asks the policy again (tokens return at the rule's rate).
    private static let delayRetry = TimeAmount.milliseconds(10)

    private func retryDelayed(from side: WebSocketRole) {
        guard !finished, let message = delayed(side) else { return }
        setDelayed(nil, from: side)
        guard decide(message, from: side, retrying: true) else { return }
        relayBuffered(from: side)
        readComplete(from: side)
        resumeReading(from: side)
    }

    private func forward(_ frames: [ByteBuffer], to receiver: WebSocketRole) {
        guard let handler = handler(receiver) else { return }
        for frame in frames { handler.write(frame) }
    }

    private func delayed(_ side: WebSocketRole) -> WebSocketMessage? {
        side == .client ? delayedFromClient : delayedFromServer
    }

    private func setDelayed(_ message: WebSocketMessage?, from side: WebSocketRole) {
        switch side {
        case .client: delayedFromClient = message
        case .server: delayedFromServer = message
        }
    }

    /// The payload as the tape writer should hold it.
    ///
    /// An unmasked, uncompressed message (a server's) comes out of the parser as a slice of the
    /// socket's read buffer; queued as it is, a 64-byte message would keep the whole read buffer
    /// alive until the writer has written it, so the writer's queue limit (which counts payload
    /// bytes) would not bound memory. Such payloads are copied; the others are already buffers of
    /// their own. A client's Socket.IO CONNECT has its auth values redacted (when configured).
    private func ownedPayload(_ message: WebSocketMessage, from side: WebSocketRole) -> ByteBuffer {
        if let version = redactsSocketIOAuth, side == .client, message.opcode == .text,
           let redacted = SocketIOAuthRedaction.redact(engineIOText: message.payload, version: version) {
            return redacted
        }
        guard recorder.isRecording, side == .server, message.frames == 1, !message.compressed else {
            return message.payload
        }
        var copy = ByteBufferAllocator().buffer(capacity: message.payload.readableBytes)
        copy.writeImmutableBuffer(message.payload)
        return copy
    }

    private func noteClose(_ payload: ByteBuffer, by peer: Peer) {
        // The parser has validated the payload already; a failure here cannot happen, but is harmless.
        let parsed = try? WebSocketClosePayload.parse(payload)
        firstClose = (peer, parsed?.code, parsed?.reason ?? "")
    }

    func readComplete(from side: WebSocketRole) {
        guard started else { return }
        handler(side.peer)?.flush()
        recorder.submit()
    }

    // MARK: Backpressure

    func mayRead(from side: WebSocketRole) -> Bool {
        // Once finished, sockets are read (and what arrives discarded) until the peers close.
        if finished { return true }
        return delayed(side) == nil && (handler(side.peer)?.isWritable ?? false) && !tapeGate.mustWait(self, on: eventLoop)
    }

    /// Issues the read held on `side`, unless something still holds it.
    func resumeReading(from side: WebSocketRole) {
        guard let handler = handler(side), handler.readHeld, mayRead(from: side) else { return }
        handler.resumeReading()
    }

    // MARK: Ending

    /// One side's connection closed or failed: close the other and write the session's `close` record.
    func connectionEnded(side: WebSocketRole, error: (any Error)?) {
        guard !finished else { return }
        if let firstClose {
            finish(SessionClose(by: firstClose.by, code: firstClose.code, reason: firstClose.reason, error: error.map { "\($0)" }))
        } else {
            let detail = error.map { "\(side.recordedPeer.name) connection failed: \($0)" }
                ?? "\(side.recordedPeer.name) closed the connection without a close frame"
            finish(SessionClose(by: side.recordedPeer, code: nil, reason: "", error: detail))
        }
        handler(side.peer)?.writeAndClose(nil)
    }

    /// A frame from `side` broke the protocol: close `side` with the RFC code and the other side with 1001.
    private func violation(_ error: WebSocketProtocolError, by side: WebSocketRole) {
        recorder.record(.policy(PolicyDecision(
            from: side.recordedPeer, rule: "protocol", action: "close", detail: error.reason
        )))
        closeSession(offender: side, code: error.closeCode, reason: error.reason, peerReason: "peer violated the protocol")
    }

    /// Closes `offender` with `code` and the other side cleanly with 1001, and ends the session.
    private func closeSession(offender side: WebSocketRole, code: UInt16, reason: String, peerReason: String) {
        finish(SessionClose(by: .proxy, code: code, reason: reason, error: nil))
        handler(side)?.writeAndClose(closeFrame(to: side, code: code, reason: reason))
        handler(side.peer)?.writeAndClose(closeFrame(to: side.peer, code: 1001, reason: peerReason))
    }

    /// Closes both sides with 1001 (shutdown or idle timeout).
    func goAway(reason: String) {
        guard !finished else { return }
        finish(SessionClose(by: .proxy, code: 1001, reason: reason, error: nil))
        clientHandler?.writeAndClose(closeFrame(to: .client, code: 1001, reason: reason))
        serverHandler?.writeAndClose(closeFrame(to: .server, code: 1001, reason: reason))
    }

    private func finish(_ close: SessionClose) {
        finished = true
        tapeGate.cancel()
        // Reads held back go on now, discarding, until the peers close (see writeAndClose).
        resumeReadsHeldForTape()
        sessionEnded?()
        sessionEnded = nil
        idleCheck?.cancel()
        recorder.record(.close(close))
        recorder.submit()
        registry.remove(self)
    }

    /// A close frame from the proxy: masked toward the server, as a client's must be.
    private func closeFrame(to side: WebSocketRole, code: UInt16, reason: String) -> ByteBuffer {
        WebSocketFrameEncoder.closeFrame(
            code: code, reason: reason,
            maskingKey: side == .server ? UInt32.random(in: .min ... .max) : nil
        )
    }

    private func handler(_ side: WebSocketRole) -> WebSocketRelayHandler? {
        side == .client ? clientHandler : serverHandler
    }

    private func scheduleIdleCheck() {
        idleCheck = eventLoop.assumeIsolated().scheduleTask(deadline: lastActivity + idleTimeout) { [self] in
            if tapeGate.isWaiting {
                lastActivity = .now()  // the proxy holds the session, its peers are not idle
            }
            if NIODeadline.now() - lastActivity >= idleTimeout {
                goAway(reason: "idle timeout")
            } else {
                scheduleIdleCheck()
            }
        }
    }
}

extension WebSocketRelay: TapeReadWaiter {
    /// Issues the reads held on both sides, unless something still holds them.
    func resumeReadsHeldForTape() {
        resumeReading(from: .client)
        resumeReading(from: .server)
    }
}

extension WebSocketRelay: DrainableConnection {
    /// Sessions run on until the drain timeout, then close with 1001.
    func drain(force: Bool) {
        if force {
            goAway(reason: "proxy shutting down")
        }
    }
}

extension WebSocketRole {
    /// The tape's name for this side.
    var recordedPeer: Peer {
        self == .client ? .client : .server
    }
}
