import NIOCore
import NIOHTTP1
import SocketTapePolicy
import SocketTapeTape
import SocketTapeWire

/// Serves one client connection while it speaks HTTP/1.1: relays each request to the upstream,
/// relays the response back, and hands the connection over to a ``WebSocketRelay`` once the
/// upstream accepts a WebSocket upgrade.
///
/// Requests are handled one at a time (pipelined requests wait their turn); plain HTTP requests
/// reuse one kept-alive upstream connection, an upgrade gets a connection of its own. While a
/// request is waiting for its upstream, or the upstream cannot take more body bytes, the handler
/// stops reading from the client.
final class ClientConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler, TapeReadWaiter {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let environment: ProxyEnvironment
    private let clientUsedTLS: Bool
    private(set) var context: ChannelHandlerContext?
    private var clientAddress = "unknown"
    private var clientIP: String?
    var exchange: ProxiedExchange?
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    /// The kept-alive upstream connection for plain HTTP requests.
    var upstream: (any Channel)?
    private var readHeld = false
    /// Holds the client's reads while the tape writer is behind.
    var tapeGate: TapeReadGate
    var closeAfterResponse = false
    /// The identity whose open-session count this connection's upgrade took (given back when the session ends).
    private var countedSession: String?
    /// What `authentication.jwt` decided for the current request (nil: not configured, or not a session's request).
    private var handshakeAuthentication: HandshakeAuthentication?
    /// The handshake deadline before the first request and during an upgrade; the idle deadline between requests.
    private var deadline: Scheduled<Void>?

    init(environment: ProxyEnvironment, clientUsedTLS: Bool) {
        self.environment = environment
        self.clientUsedTLS = clientUsedTLS
        self.tapeGate = TapeReadGate(writer: environment.writer)
    }

    var configuration: ProxyConfiguration { environment.configuration }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // Both when the connection becomes a WebSocket relay and when it closes.
        tapeGate.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        if let remote = context.channel.remoteAddress {
            // `ipAddress` formats the address anew on every call.
            clientIP = remote.ipAddress
            clientAddress = HostAndPort(host: clientIP ?? "unknown", port: remote.port ?? 0).description
        }
        environment.registry.add(self, on: context.eventLoop)
        setDeadline(configuration.handshakeTimeout) { handler in
            handler.context?.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        releaseCountedSession()
        environment.registry.remove(self)
        upstream?.close(promise: nil)
        if var exchange, exchange.response == nil || !exchange.isUpgrade {
            exchange.upstream?.close(promise: nil)
            exchange.recordOutcome(client: clientAddress, upstream: configuration.upstream.url, error: "client closed the connection mid-exchange")
            self.exchange = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if exchange?.response == nil, error is HTTPParserError {
            respondLocally(.badRequest, "malformed HTTP request: \(error)")
        } else {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if pipelined.isEmpty, exchange == nil || !(exchange!.requestComplete || part.isHead) {
            dispatch(part)
        } else {
            pipelined.append(part)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Body parts are written as they arrive; flush once per read batch so that the upstream
        // drains (and its writability lets the client's reads resume) before the request ends.
        exchange?.upstream?.flush()
        context.fireChannelReadComplete()
    }

    /// A request part whose turn has come: a head starts an exchange, the rest go with the current one.
    private func dispatch(_ part: HTTPServerRequestPart) {
        if case .head(let head) = part {
            start(head)
        } else {
            forward(part)
        }
    }

    func read(context: ChannelHandlerContext) {
        if mayReadClient {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Whether reading more from the client is safe.
    ///
    /// Reading goes on while a request waits for its upstream, so the usual exchange never turns
    /// read interest off and on again (two `epoll_ctl` calls per request); what it may pile up is
    /// bounded: at most ``maxQueuedParts`` request parts wait for a connection or for their turn,
    /// and body parts go on only while the upstream is writable. While the tape writer is behind,
    /// no request is read.
    private var mayReadClient: Bool {
        if let context, tapeGate.mustWait(self, on: context.eventLoop) { return false }
        guard let exchange else { return true }
        if pipelined.count >= Self.maxQueuedParts { return false }
        if exchange.requestComplete { return true }
        guard let upstream = exchange.upstream else { return exchange.waitingParts.count < Self.maxQueuedParts }
        return upstream.isWritable
    }

    /// Request parts (each at most one read, 64 KiB) that may wait in memory per connection.
    private static let maxQueuedParts = 16

    private func resumeReadingIfHeld() {
        guard readHeld, mayReadClient, let context else { return }
        readHeld = false
        context.read()
    }

    func resumeReadsHeldForTape() {
        resumeReadingIfHeld()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // Response bodies: stop reading the upstream while the client cannot keep up.
        let upstreamChannel = exchange?.upstream
        upstreamChannel?.setOption(.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        if context.channel.isWritable {
            upstreamChannel?.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Requests

    private func start(_ head: HTTPRequestHead) {
        deadline?.cancel()
        let headerBytes = head.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        guard headerBytes <= configuration.maxHeaderBytes else {
            respondLocally(.requestHeaderFieldsTooLarge, "request headers take \(headerBytes) bytes, over the limit of \(configuration.maxHeaderBytes)")
            return
        }
        let isUpgrade = head.isWebSocketUpgrade
        closeAfterResponse = !head.isKeepAlive
        let engineIO = environment.engineIOContext(for: head)
        var exchange = ProxiedExchange(
            request: head, isUpgrade: isUpgrade, engineIO: engineIO,
            recorder: environment.makeRecorder(session: engineIO?.knownSession), bodyLimit: configuration.maxRecordedBodyBytes
        )
        let upstreamHead = ForwardingHeaders.upstreamRequest(
            head,
            target: configuration.upstream.upstreamTarget(for: head.uri),
            clientAddress: clientIP,
            clientUsedTLS: clientUsedTLS,
            isUpgrade: isUpgrade
        )
        if gatesPollingBody(head, engineIO) {
            exchange.pollingGate = PollingBodyGate(upstreamHead: upstreamHead)
        } else {
            exchange.waitingParts.append(.head(upstreamHead))
        }
        self.exchange = exchange
        // A new session: a WebSocket (not the upgrade of a polling session the proxy follows), or an
        // Engine.IO handshake.
        let opensSession = engineIO.map { $0.request.sid == nil || ($0.knownSession == nil && isUpgrade) } ?? isUpgrade
        if let refusal = refusal(of: head, engineIO: engineIO?.request, opensSession: opensSession) {
            self.exchange?.refusal = (rule: refusal.rule, detail: refusal.detail)
            respondLocally(refusal.status, refusal.detail, headers: refusal.headers)
            return
        }
        if let version = engineIO?.version, engineIO?.request.sid == nil {
            // After the handshake checks: the policy state depends on what authentication decided.
            self.exchange?.engineIO?.policy = sessionPolicy(for: head, socketIO: SocketIOVersion(engineIO: version))
        }
        if !isUpgrade, let counted = countedSession {
            // A polling session's count goes with its sid, into the session table.
            self.exchange?.engineIO?.countedIdentity = counted
            countedSession = nil
        }
        if head.method == .GET, answersPollFromOutbox() {
            return
        }
        if !isUpgrade, let upstream, upstream.isActive {
            attach(upstream)
        } else {
            connectUpstream()
        }
        if isUpgrade {
            setDeadline(configuration.handshakeTimeout, clientsTurn: false) { handler in
                handler.upstreamFailed("upstream did not answer the WebSocket handshake within \(handler.configuration.handshakeTimeout.seconds) s", status: .gatewayTimeout)
            }
        }
    }

    /// Why the policy refuses a request at its handshake, or `nil` when it may pass: an `Origin`
    /// outside the allow-list (403), a session's request without a valid token (401, see
    /// ``PolicyEngine/authenticateHandshake(headers:target:socketIO:startsSession:now:)``), or a new
    /// session over `connections.per-minute` or `connections.max-concurrent` (429). A new session
    /// that passes takes its open-session count.
    private func refusal(of head: HTTPRequestHead, engineIO: EngineIORequest?, opensSession: Bool) -> HandshakeRefusal? {
        handshakeAuthentication = nil
        guard let engine = environment.policyEngine else { return nil }
        let origin = head.headers["Origin"].first
        if !engine.allowsOrigin(origin) {
            return HandshakeRefusal(status: .forbidden, rule: "origin", detail: "origin \(origin ?? "(none)") is not in the allow-list")
        }
        if head.isWebSocketUpgrade || engineIO != nil, let verdict = engine.authenticateHandshake(
            headers: head.headers.map { (name: $0.name, value: $0.value) }, target: head.uri,
            socketIO: engineIO.map { SocketIOVersion(engineIO: $0.version) }, startsSession: engineIO.map { $0.sid == nil } ?? true
        ) {
            if case .refuse(let rejection) = verdict { return .unauthorized(rejection) }
            handshakeAuthentication = verdict
        }
        let identity = identity(of: head)
        if opensSession, !engine.admitsNewConnection(identity: identity, now: NIODeadline.now().uptimeNanoseconds) {
            return HandshakeRefusal(status: .tooManyRequests, rule: "connections.per-minute", detail: "identity \(identity) opened too many sessions")
        }
        if opensSession, let limit = engine.configuration.connections.maxConcurrent {
            guard environment.openSessions.open(identity, limit: limit) else {
                return HandshakeRefusal(status: .tooManyRequests, rule: "connections.max-concurrent", detail: "identity \(identity) has \(limit) open sessions")
            }
            countedSession = identity
        }
        return nil
    }

    /// A new session's policy state, when the policy checks messages or, in a Socket.io session
    /// whose handshake carried no valid token, authenticates each CONNECT.
    private func sessionPolicy(for head: HTTPRequestHead, socketIO: SocketIOVersion?) -> SessionPolicy? {
        let authenticatesConnects = handshakeAuthentication?.isAuthenticated == false
        guard let engine = environment.policyEngine, engine.configuration.checksMessages || authenticatesConnects else { return nil }
        return SessionPolicy(
            engine: engine, identity: identity(of: head), socketIO: socketIO,
            identityFromAuth: identityFromSocketIOAuth(head), authenticatesConnects: authenticatesConnects
        )
    }

    /// Where a `jwt-claim` identity reads its claim: with `authentication.jwt`, the claims of the token it verified.
    private var claimSource: ClaimSource {
        guard configuration.policy.authentication != nil else { return .unverifiedToken }
        if case .authenticated(let claims)? = handshakeAuthentication { return .verified(claims) }
        return .verified(nil)
    }

    /// For identities the Socket.IO CONNECT carries (`socket-io-auth-token`, `jwt-claim`): the key
    /// for an auth payload (and, with `authentication.jwt`, the claims its token was verified to have).
    private func identityFromSocketIOAuth(_ head: HTTPRequestHead) -> (@Sendable (JSONValue?, ClaimSource) -> String?)? {
        let source = configuration.policy.identity
        switch source {
        case .socketIOAuthToken, .jwtClaim:
            let address = clientIP ?? clientAddress
            let headers = head.headers.map { (name: $0.name, value: $0.value) }
            let target = head.uri
            return { auth, claims in
                source.key(remoteAddress: address, headers: headers, target: target, socketIOAuth: auth, claims: claims)
            }
        default:
            return nil
        }
    }

    /// Gives back the open-session count of an upgrade that did not become a session.
    private func releaseCountedSession() {
        if let counted = countedSession {
            environment.openSessions.close(counted)
            countedSession = nil
        }
    }

    /// The key the session's limits count against (the remote address when the configured source is missing).
    private func identity(of head: HTTPRequestHead) -> String {
        let address = clientIP ?? clientAddress
        return configuration.policy.identity.key(
            remoteAddress: address, headers: head.headers.map { (name: $0.name, value: $0.value) },
            target: head.uri, socketIOAuth: nil, claims: claimSource
        ) ?? address
    }

    private func forward(_ part: HTTPServerRequestPart) {
        guard var exchange else { return }
        let outgoing: HTTPClientRequestPart
        switch part {
        case .head:
            return
        case .body(let bytes):
            exchange.requestBody.append(bytes)
            if exchange.pollingGate != nil {
                self.exchange = exchange
                holdPollingBody(bytes)
                return
            }
            outgoing = .body(.byteBuffer(bytes))
        case .end(let trailers):
            exchange.requestComplete = true
            if exchange.pollingGate != nil {
                self.exchange = exchange
                decidePollingBody()
                return
            }
            outgoing = .end(trailers)
        }
        if let upstream = exchange.upstream {
            upstream.write(outgoing, promise: nil)
            if exchange.requestComplete { upstream.flush() }
        } else {
            exchange.waitingParts.append(outgoing)
        }
        self.exchange = exchange
    }

    // MARK: Upstream

    private func connectUpstream() {
        guard let context else { return }
        let request = exchange?.startedAt
        environment.connector.connect(on: context.eventLoop, forUpgrade: exchange?.isUpgrade ?? false).assumeIsolated().whenComplete { [self] result in
            // The exchange may have ended (client gone, timeout) while connecting.
            guard let exchange, exchange.startedAt == request, exchange.upstream == nil else {
                if case .success(let channel) = result { channel.close(promise: nil) }
                return
            }
            switch result {
            case .success(let channel):
                do {
                    try channel.pipeline.syncOperations.addHandler(UpstreamHTTPHandler(owner: self))
                } catch {
                    channel.close(promise: nil)
                    upstreamFailed("cannot set up the upstream connection: \(error)", status: .badGateway)
                    return
                }
                if !exchange.isUpgrade {
                    upstream = channel
                }
                attach(channel)
            case .failure(let error):
                upstreamFailed("upstream \(configuration.upstream.url) unreachable: \(error)", status: .badGateway)
            }
        }
    }

    /// Sends the waiting request parts on `channel` and makes it the exchange's upstream.
    private func attach(_ channel: any Channel) {
        guard var exchange else { return }
        exchange.upstream = channel
        for part in exchange.waitingParts {
            channel.write(part, promise: nil)
        }
        exchange.waitingParts.removeAll()
        channel.flush()
        self.exchange = exchange
        resumeReadingIfHeld()
    }

    func upstreamResponse(_ part: HTTPClientResponsePart) {
        guard var exchange, let context else { return }
        if let instead = exchange.answerInstead {
            // The upstream's answer to the close packet the proxy sent in the client's name.
            if case .end = part { answerInstead(instead) }
            return
        }
        switch part {
        case .head(let head):
            exchange.response = head
            if !(exchange.isUpgrade && head.status == .switchingProtocols) {
                var response = ForwardingHeaders.clientResponse(head)
                if exchange.isUpgrade {
                    // A refused upgrade: after a request that asks for one, no more HTTP is read
                    // on the connection (as with NIO's decoder), so it must not stay open.
                    closeAfterResponse = true
                    response.headers.replaceOrAdd(name: "Connection", value: "close")
                }
                context.write(wrapOutboundOut(.head(response)), promise: nil)
            }
        case .body(let bytes):
            exchange.responseBody.append(bytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(bytes))), promise: nil)
        case .end(let trailers):
            if exchange.isUpgrade, exchange.response?.status == .switchingProtocols {
                self.exchange = exchange
                completeUpgrade()
                return
            }
            self.exchange = exchange
            if closeAfterResponse {
                // Finished first: the write may complete, and the connection close, at once.
                finishExchange(error: nil, connectionCloses: true)
                endResponseAndClose(context, trailers: trailers)
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
                finishExchange(error: nil)
            }
            return
        }
        self.exchange = exchange
    }

    func upstreamReadComplete() {
        context?.flush()
    }

    func upstreamBecameWritable() {
        resumeReadingIfHeld()
    }

    func upstreamEnded(_ channel: any Channel, error: (any Error)?) {
        if channel === upstream {
            upstream = nil
        }
        guard let exchange, exchange.upstream === channel else { return }
        if let instead = exchange.answerInstead {
            // The server may end the connection on the close packet the proxy sent for the client.
            answerInstead(instead)
            return
        }
        let why = error.map { "upstream connection failed: \($0)" } ?? "upstream closed the connection"
        if exchange.response == nil {
            upstreamFailed("\(why) before answering", status: .badGateway)
        } else {
            // Part of the response went out already; the client must see the connection end.
            finishExchange(error: "\(why) in the middle of the response")
            context?.close(promise: nil)
        }
    }

    /// Answers the client with an error of the proxy's own, records it, and closes the connection.
    private func upstreamFailed(_ message: String, status: HTTPResponseStatus) {
        // Let go of the upstream first: its close must not be taken for it hanging up (a 502).
        let failed = exchange?.upstream
        exchange?.upstream = nil
        failed?.close(promise: nil)
        respondLocally(status, message)
    }

    private func answerInstead(_ answer: (status: HTTPResponseStatus, message: String)) {
        answerLocally(answer.status, body: ByteBuffer(string: "sockettape: \(answer.message)\n"), error: nil)
    }

    func respondLocally(_ status: HTTPResponseStatus, _ message: String, headers: [(name: String, value: String)] = []) {
        answerLocally(status, body: ByteBuffer(string: "sockettape: \(message)\n"), headers: headers, error: message)
    }

    /// Answers the client with a response of the proxy's own and closes the connection; `error`
    /// (when not nil) is recorded as why the exchange failed.
    func answerLocally(
        _ status: HTTPResponseStatus, body: ByteBuffer, contentType: String = "text/plain; charset=utf-8",
        headers extra: [(name: String, value: String)] = [], error: String?
    ) {
        guard let context else { return }
        closeAfterResponse = true
        var headers = HTTPHeaders(extra.map { ($0.name, $0.value) })
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if exchange != nil {
            // Finished before the connection closes: the close ends the upstream connection too,
            // which must not find the exchange still waiting for it.
            exchange?.response = head
            exchange?.responseBody.append(body)
            finishExchange(error: error, connectionCloses: true)
        }
        endResponseAndClose(context, trailers: nil)
    }

    /// Ends the response and closes the connection once it is out: closing with writes pending
    /// would drop them.
    private func endResponseAndClose(_ context: ChannelHandlerContext, trailers: HTTPHeaders?) {
        context.writeAndFlush(wrapOutboundOut(.end(trailers))).assumeIsolated().whenComplete { [context] _ in
            context.close(promise: nil)
        }
    }

    /// Records the exchange and lets it go; then, unless `connectionCloses` (the caller closes
    /// the client connection) or it failed, the connection waits for the next request.
    private func finishExchange(error: String?, connectionCloses: Bool = false) {
        guard var exchange else { return }
        deadline?.cancel()
        releaseCountedSession()
        exchange.recordOutcome(client: clientAddress, upstream: configuration.upstream.url, error: error)
        self.exchange = nil
        if exchange.isUpgrade || exchange.response?.isKeepAlive == false {
            exchange.upstream?.close(promise: nil)
            if exchange.upstream === upstream { upstream = nil }
        }
        guard error == nil, !connectionCloses else { return }
        setDeadline(configuration.idleTimeout) { handler in
            handler.context?.close(promise: nil)
        }
        while self.exchange.map({ !$0.requestComplete }) ?? true, context?.channel.isActive == true,
              let part = pipelined.popFirst() {
            dispatch(part)
        }
        resumeReadingIfHeld()
    }

    // MARK: Upgrade

    private func completeUpgrade() {
        guard let context, var exchange, let upstreamChannel = exchange.upstream, var response = exchange.response else { return }
        deadline?.cancel()
        // A polling session's policy state goes on; a new session gets its own.
        let policy = exchange.engineIO?.request.sid.flatMap { exchange.engineIO?.sessions.policy(of: $0) }
            ?? sessionPolicy(for: exchange.request, socketIO: exchange.engineIO.map { SocketIOVersion(engineIO: $0.version) })
        if policy != nil {
            // The policy may drop client messages: the client must then compress each message on
            // its own, or the server's inflater would lose its context (RFC 7692 §7.1.1.1).
            let extensions = response.headers["Sec-WebSocket-Extensions"].joined(separator: ", ")
            if !extensions.isEmpty, let required = try? PerMessageDeflateParameters.requiringClientNoContextTakeover(inResponseHeader: extensions) {
                response.headers.replaceOrAdd(name: "Sec-WebSocket-Extensions", value: required)
            }
        }
        let offered = response.headers["Sec-WebSocket-Extensions"].joined(separator: ", ")
        let deflate: PerMessageDeflateParameters?
        do {
            deflate = offered.isEmpty ? nil : try PerMessageDeflateParameters.negotiated(fromResponseHeader: offered)
        } catch {
            upstreamFailed("upstream accepted extensions SocketTape cannot read (\(offered)): \(error)", status: .badGateway)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(ForwardingHeaders.clientResponse(response))), promise: nil)
        let requestRecord = exchange.recorder.requestRecord(exchange.request)
        let responseRecord = exchange.recorder.responseRecord(response)
        var sessionEnded: (() -> Void)?
        if let counted = countedSession {
            // The relay gives the open-session count back when the session ends.
            countedSession = nil
            let openSessions = environment.openSessions
            sessionEnded = { openSessions.close(counted) }
        }
        if let engineIO = exchange.engineIO, let sid = engineIO.request.sid, engineIO.knownSession != nil {
            // A polling session moving to WebSocket: the same tape session goes on.
            exchange.recorder.record(.upgrade(TransportUpgrade(transport: .websocket, request: requestRecord, response: responseRecord)), at: exchange.startedAt)
            engineIO.sessions.markUpgraded(sid)
            sessionEnded = { [countRelease = sessionEnded] in
                engineIO.sessions.remove(sid)
                countRelease?()
            }
        } else {
            exchange.recorder.record(.open(SessionOpen(
                client: clientAddress, transport: .websocket, upstream: configuration.upstream.url,
                request: requestRecord, response: responseRecord, engineIOVersion: exchange.engineIO?.version.rawValue
            )), at: exchange.startedAt)
        }
        exchange.recorder.submit()
        self.exchange = nil
        environment.registry.remove(self)

        let relay = WebSocketRelay(
            eventLoop: context.eventLoop, recorder: exchange.recorder, deflate: deflate,
            limits: configuration.webSocketLimits, registry: environment.registry,
            idleTimeout: configuration.idleTimeout,
            redactsSocketIOAuth: exchange.engineIO.flatMap { $0.redactsAuth ? $0.version : nil },
            sessionEnded: sessionEnded,
            policy: policy.map(RelayPolicy.init)
        )
        let clientChannel = context.channel
        do {
            try relay.attach(client: clientChannel, server: upstreamChannel)
            // Removing a decoder hands the bytes it buffered to the relay at once; the relay
            // keeps them until start(), when no codec is left to write through.
            let upstreamPipeline = upstreamChannel.pipeline.syncOperations
            upstreamPipeline.removeHandler(try upstreamPipeline.handler(type: UpstreamHTTPHandler.self), promise: nil)
            let clientPipeline = context.pipeline.syncOperations
            clientPipeline.removeHandler(context: context, promise: nil)
            // NIO's decoders, when one took over, leave only once they finish decoding (this call
            // may come from inside one): start relaying once both codecs are gone.
            let unfinished = [
                try Self.removeCodec(
                    upstreamPipeline, PlainUpgradeClientCodec.self,
                    or: ByteToMessageHandler<HTTPResponseDecoder>.self, encoder: HTTPRequestEncoder.self
                ),
                try Self.removeCodec(
                    clientPipeline, PlainServerCodec.self,
                    or: ByteToMessageHandler<HTTPRequestDecoder>.self, encoder: HTTPResponseEncoder.self
                ),
            ].compactMap { $0 }
            let startRelaying = {
                relay.start()
                clientChannel.read()
                upstreamChannel.read()
            }
            guard !unfinished.isEmpty else {
                startRelaying()
                return
            }
            EventLoopFuture.andAllSucceed(unfinished, on: context.eventLoop).assumeIsolated().whenComplete { result in
                guard case .success = result else {
                    relay.goAway(reason: "proxy failed to switch protocols")
                    return
                }
                startRelaying()
            }
        } catch {
            relay.connectionEnded(side: .client, error: error)
            clientChannel.close(promise: nil)
            upstreamChannel.close(promise: nil)
            return
        }
    }

    /// Removes a connection's HTTP codec: the plain one, with NIO's encoder if the plain one put it
    /// in front of itself; or, if the plain one handed over, NIO's decoder and encoder.
    ///
    /// - Returns: `nil` when the codec is gone, as a plain one is at once (no future to allocate per
    ///   handshake); NIO's decoder's removal, which it may put off until it finishes decoding.
    private static func removeCodec<Plain: PlainHTTPCodec, Decoder: RemovableChannelHandler, Encoder: RemovableChannelHandler>(
        _ pipeline: ChannelPipeline.SynchronousOperations, _ plain: Plain.Type, or decoder: Decoder.Type, encoder: Encoder.Type
    ) throws -> EventLoopFuture<Void>? {
        if let codec = try? pipeline.handler(type: plain) {
            if codec.encoderAdded {
                pipeline.removeHandler(try pipeline.handler(type: encoder), promise: nil)
            }
            pipeline.removeHandler(codec, promise: nil)
            return nil
        }
        if let added = try? pipeline.handler(type: encoder) {
            pipeline.removeHandler(added, promise: nil)
        }
        return pipeline.removeHandler(try pipeline.handler(type: decoder))
    }

    // MARK: Deadlines

    /// Calls `expired` after `after`, unless another deadline replaces this one first.
    ///
    /// - Parameter clientsTurn: whether the deadline waits for the client (its request, or its
    ///   next one): while the proxy holds the client's bytes for the tape, it is put off.
    private func setDeadline(_ after: TimeAmount, clientsTurn: Bool = true, _ expired: @escaping (ClientConnectionHandler) -> Void) {
        deadline?.cancel()
        guard let context else { return }
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: after) { [self] in
            if clientsTurn, tapeGate.isWaiting {
                setDeadline(after, expired)
            } else {
                expired(self)
            }
        }
    }
}

extension ClientConnectionHandler: DrainableConnection {
    /// Shutdown: an idle connection closes now; one with a request in flight once it is answered,
    /// or when the drain timeout has passed.
    func drain(force: Bool) {
        if exchange == nil || force {
            context?.close(promise: nil)
        } else {
            closeAfterResponse = true
        }
    }
}

extension HTTPServerRequestPart {
    fileprivate var isHead: Bool {
        if case .head = self { return true }
        return false
    }
}

extension HTTPRequestHead {
    /// A WebSocket opening handshake (RFC 6455 §4.1): GET with `Upgrade: websocket`.
    var isWebSocketUpgrade: Bool {
        method == .GET && headers.lists("Upgrade", token: "websocket")
    }
}

extension TimeAmount {
    /// Whole seconds, for messages.
    var seconds: Int64 { nanoseconds / 1_000_000_000 }
}
