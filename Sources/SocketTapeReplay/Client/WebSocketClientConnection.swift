import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// One WebSocket client connection of a replay: connects (TCP or TLS), performs the opening
/// handshake with a recorded request, then sends the caller's messages and delivers the
/// server's.
///
/// **Threading.** A connection belongs to one event loop: create it and call every method on
/// that loop. Its ``WebSocketClientDelegate`` is called there too, synchronously from the
/// channel's events, so a replay scheduler running on the same loop needs no locks and no hops.
///
/// **Receiving.** The server's frames are parsed by ``WebSocketStreamParser`` (sender `.server`:
/// RFC 6455 is enforced on them, with the limits of ``WebSocketClientOptions/limits``). Complete
/// text and binary messages go to the delegate with the time of the read that completed them.
/// Pings are answered with pongs by the connection; pongs are dropped. A violation fails the
/// connection with the RFC close code (1002, 1007, 1009).
///
/// **Sending and backpressure.** Frames are masked with a fresh random key each. Data
/// messages are written only while the channel is writable: ``send(opcode:payload:flush:)``
/// returns ``SendResult/notWritable`` (and writes nothing) once more than the high water mark
/// of ``WebSocketClientOptions/writeBufferWaterMark`` waits to be written, so what one connection
/// buffers is bounded by that mark plus one message. The delegate hears when writing is possible
/// again. Pongs and the close frame bypass the check; while the channel is not writable only the
/// latest ping's pong is kept (RFC 6455 §5.5.3 allows that), so they stay bounded too.
///
/// **Closing.** ``close(code:reason:)`` sends a close frame and waits up to
/// ``WebSocketClientOptions/closeTimeout`` for the server's; a server's close frame is answered
/// with the same code. After the exchange the server is expected to close TCP first (RFC 6455
/// §7.1.1); the client does it itself after the same timeout.
public final class WebSocketClientConnection {
    /// What ``send(opcode:payload:flush:)`` did.
    public enum SendResult: Sendable, Equatable {
        /// The frame was written (and flushed, if asked).
        case sent
        /// Nothing was written: the write buffer is over its high water mark. Try again after
        /// ``WebSocketClientDelegate/webSocketWritabilityChanged(_:)``.
        case notWritable
        /// Nothing was written: the connection is not open (still connecting, or closing).
        case notOpen
    }

    private enum Phase {
        /// Waiting for TCP.
        case connecting
        /// The request is out; reading the response head.
        case handshaking
        /// The server answered without 101; reading the start of its body for the error.
        case refused
        /// Data flows both ways.
        case open
        /// The client sent its close frame; data from the server is still delivered.
        case closeSent
        /// Both close frames crossed; waiting for the server to close TCP.
        case closeExchanged
        /// The delegate has heard the end.
        case finished
    }

    /// The event loop of the connection, its delegate and its owner.
    public let eventLoop: any EventLoop
    /// The subprotocol the server chose, once open.
    public private(set) var subprotocol: String?
    /// When the handshake completed.
    public private(set) var openedAt: NIODeadline?

    private let connector: ReplayConnector
    private let options: WebSocketClientOptions
    private let request: WebSocketHandshakeRequest
    private var delegate: (any WebSocketClientDelegate)?
    private var phase = Phase.connecting
    private var context: ChannelHandlerContext?
    /// Until the response head is in; then nil, which frees the read buffer it holds.
    private var headParser: HTTPResponseHeadParser?
    private var refusal: HandshakeRefusal?
    private var parser: WebSocketStreamParser
    private var maskingKeys = MaskingKeySource()
    private var tlsEstablished = false
    /// The handshake deadline, then the close deadline.
    private var deadline: Scheduled<Void>?
    /// Written but not flushed; flushed at the end of the current read.
    private var needsFlush = false
    /// The payload of the latest ping not answered because the channel was not writable.
    private var owedPong: ByteBuffer?
    private var initiator: WebSocketClientClosure.Initiator?
    private var serverClose: (code: UInt16?, reason: String) = (nil, "")

    private init(
        eventLoop: any EventLoop,
        connector: ReplayConnector,
        options: WebSocketClientOptions,
        request: WebSocketHandshakeRequest,
        delegate: any WebSocketClientDelegate
    ) {
        self.eventLoop = eventLoop
        self.connector = connector
        self.options = options
        self.request = request
        self.delegate = delegate
        headParser = HTTPResponseHeadParser(maxSize: options.maxResponseHeadSize)
        parser = WebSocketStreamParser(sender: .server, deflate: nil, limits: options.limits)
    }

    /// Starts a connection. Call on `eventLoop`.
    ///
    /// The delegate then hears ``WebSocketClientDelegate/webSocketDidOpen(_:response:)`` or,
    /// when connecting or the handshake fails, only ``WebSocketClientDelegate/webSocket(_:didCloseWith:)``.
    ///
    /// - Parameters:
    ///   - connector: The target, its resolved address and TLS settings.
    ///   - target: The recorded request target (path and query); the target URL's path prefix
    ///     goes in front of it.
    ///   - headers: The recorded request headers. All are sent, in order, with the overrides of
    ///     ``WebSocketClientOptions/headerOverrides`` applied, except those written anew: `Host`,
    ///     `Upgrade`, `Connection`, `Sec-WebSocket-Key`, `Sec-WebSocket-Version`; and
    ///     `Sec-WebSocket-Extensions`, `Content-Length`, `Transfer-Encoding` are dropped (no
    ///     compression is offered).
    ///   - options: Timeouts, limits, water marks and header overrides.
    ///   - eventLoop: The loop the connection lives on.
    ///   - delegate: Receives the connection's events.
    /// - Returns: The connection, connecting.
    /// - Throws: ``ReplayClientError`` (``ReplayClientError/Kind/handshake``) when the recorded
    ///   target or headers cannot be sent as HTTP/1.1; nothing is connected then.
    public static func connect(
        using connector: ReplayConnector,
        target: String,
        headers: [HeaderField],
        options: WebSocketClientOptions = .init(),
        on eventLoop: any EventLoop,
        delegate: any WebSocketClientDelegate
    ) throws(ReplayClientError) -> WebSocketClientConnection {
        eventLoop.preconditionInEventLoop()
        let request = try WebSocketHandshakeRequest(
            target: connector.target.requestTarget(for: target),
            host: connector.target.hostHeader,
            recorded: headers,
            overrides: options.headerOverrides
        )
        let connection = WebSocketClientConnection(
            eventLoop: eventLoop, connector: connector, options: options, request: request, delegate: delegate
        )
        let bound = NIOLoopBound(connection, eventLoop: eventLoop)
        connector.connect(on: eventLoop, waterMark: options.writeBufferWaterMark) { pipeline in
            try pipeline.addHandler(WebSocketClientChannelHandler(connection: bound.value))
        }.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                if connection.phase == .finished { channel.close(promise: nil) }
            case .failure(let error):
                // The connector describes its failures already.
                connection.fail(error as? ReplayClientError ?? ReplayClientError(.connect, "connect failed: \(error)"))
            }
        }
        return connection
    }

    // MARK: Sending

    /// Whether a data message would be written now: the connection is open and its write
    /// buffer is under the high water mark.
    public var isWritable: Bool {
        phase == .open && (context?.channel.isWritable ?? false)
    }

    /// Sends a text message in one frame.
    public func send(text: String, flush: Bool = true) -> SendResult {
        send(opcode: .text, payload: ByteBuffer(string: text), flush: flush)
    }

    /// Sends a binary message in one frame.
    public func send(binary: ByteBuffer, flush: Bool = true) -> SendResult {
        send(opcode: .binary, payload: binary, flush: flush)
    }

    /// Sends one message in one masked frame.
    ///
    /// - Parameters:
    ///   - opcode: `.text`, `.binary`, `.ping` or `.pong` (a control payload has at most 125
    ///     bytes); close with ``close(code:reason:)``.
    ///   - payload: The unmasked payload; for text, UTF-8 (not checked: a replay sends what was recorded).
    ///   - flush: Whether to flush at once. Unflushed frames go out at the end of the current
    ///     read when sent from a delegate call, else at the next ``flush()``.
    /// - Returns: Whether the frame was written; see ``SendResult``.
    public func send(opcode: WebSocketOpcode, payload: ByteBuffer, flush: Bool = true) -> SendResult {
        eventLoop.assertInEventLoop()
        precondition(opcode != .continuation && opcode != .close, "send(opcode:) sends whole messages; close with close(code:reason:)")
        precondition(!opcode.isControl || payload.readableBytes <= 125, "a control frame carries at most 125 bytes")
        guard phase == .open, let context else { return .notOpen }
        guard context.channel.isWritable else { return .notWritable }
        write(opcode: opcode, payload: payload)
        if flush {
            self.flush()
        } else {
            needsFlush = true
        }
        return .sent
    }

    /// Flushes frames sent with `flush: false`.
    public func flush() {
        needsFlush = false
        context?.flush()
    }

    // MARK: Closing

    /// Starts the close handshake: sends a close frame and waits for the server's (at most
    /// ``WebSocketClientOptions/closeTimeout``). Before the handshake has finished, gives up the
    /// connection instead (ending with ``ReplayClientError/Kind/cancelled``). Does nothing once closing.
    ///
    /// - Parameters:
    ///   - code: A code a client may send (``WebSocketClosePayload/isValidCode(_:)``).
    ///   - reason: Cut to 123 bytes of UTF-8.
    public func close(code: UInt16 = 1000, reason: String = "") {
        eventLoop.assertInEventLoop()
        precondition(WebSocketClosePayload.isValidCode(code), "close code \(code) may not be sent")
        switch phase {
        case .connecting, .handshaking, .refused:
            fail(ReplayClientError(.cancelled, "closed by the owner before the handshake completed"))
        case .open:
            initiator = .client
            phase = .closeSent
            write(closeCode: code, reason: reason)
            flush()
            scheduleDeadline(options.closeTimeout)
        case .closeSent, .closeExchanged, .finished:
            break
        }
    }

    /// Closes TCP at once, without a close frame (as a recorded client that vanished did);
    /// ends with ``ReplayClientError/Kind/cancelled`` unless already finished.
    public func abort() {
        eventLoop.assertInEventLoop()
        fail(ReplayClientError(.cancelled, "closed by the owner without a close handshake"))
    }

    // MARK: Channel events (from WebSocketClientChannelHandler)

    func attach(_ context: ChannelHandlerContext) {
        self.context = context
    }

    func detach() {
        context = nil
    }

    func channelActive() {
        guard phase == .connecting, let context else { return }
        phase = .handshaking
        delegate?.webSocketDidConnect(self, at: .now())
        context.writeAndFlush(NIOAny(request.bytes), promise: nil)
        scheduleDeadline(options.handshakeTimeout)
    }

    func tlsHandshakeCompleted() {
        tlsEstablished = true
    }

    func received(_ bytes: ByteBuffer) {
        switch phase {
        case .handshaking:
            readHandshake(bytes)
        case .refused:
            if refusal!.append(bytes) { fail(refusal!.error) }
        case .open, .closeSent:
            readFrames(bytes, at: .now())
        case .connecting, .closeExchanged, .finished:
            break
        }
    }

    func readComplete() {
        if needsFlush { flush() }
    }

    func writabilityChanged() {
        guard let context, phase == .open else { return }
        if context.channel.isWritable, let payload = owedPong {
            owedPong = nil
            write(opcode: .pong, payload: payload)
            flush()
        }
        delegate?.webSocketWritabilityChanged(self)
    }

    func channelInactive() {
        switch phase {
        case .connecting, .handshaking:
            fail(ReplayClientError(.handshake, tlsUnfinished
                ? "TLS with \(connector.target.authority): connection closed during the TLS handshake"
                : "handshake: connection closed before the server answered"))
        case .refused:
            fail(refusal!.error)
        case .open, .closeSent:
            fail(ReplayClientError(.connectionLost, "connection closed by the server without a close frame"))
        case .closeExchanged:
            finish(error: nil)
        case .finished:
            break
        }
    }

    func errorCaught(_ error: any Error) {
        switch phase {
        case .finished:
            return
        case _ where TLSFailure.isTLSError(error):
            fail(TLSFailure.describe(error, connector: connector))
        case .connecting:
            fail(ConnectFailure.describe(error, address: connector.address, timeout: connector.connectTimeout))
        case .handshaking, .refused:
            fail(ReplayClientError(.handshake, "handshake: \(error)"))
        case .open, .closeSent, .closeExchanged:
            fail(ReplayClientError(.connectionLost, "connection failed: \(error)"))
        }
    }

    // MARK: Handshake

    private func readHandshake(_ bytes: ByteBuffer) {
        let parsed: (HTTPResponseHead, ByteBuffer)?
        do {
            parsed = try headParser?.parse(appending: bytes)
        } catch {
            fail(error)
            return
        }
        guard let (head, rest) = parsed else { return }
        headParser = nil
        guard head.status == .switchingProtocols else {
            var refusal = HandshakeRefusal(head: head)
            if refusal.append(rest) {
                fail(refusal.error)
            } else {
                phase = .refused
                self.refusal = refusal
            }
            return
        }
        do {
            subprotocol = try WebSocketHandshakeValidation.check(head, key: request.key, offeredProtocols: request.offeredProtocols)
        } catch {
            fail(error)
            return
        }
        deadline?.cancel()
        phase = .open
        let now = NIODeadline.now()
        openedAt = now
        delegate?.webSocketDidOpen(self, response: head)
        if rest.readableBytes > 0 {
            readFrames(rest, at: now)
        }
    }

    private var tlsUnfinished: Bool {
        connector.target.usesTLS && !tlsEstablished
    }

    // MARK: Frames

    private func readFrames(_ bytes: ByteBuffer, at time: NIODeadline) {
        parser.append(bytes)
        while phase == .open || phase == .closeSent {
            let parsed: ParsedFrame?
            do {
                parsed = try parser.nextFrame()
            } catch {
                violation(error)
                return
            }
            guard let frame = parsed else { return }
            guard let message = frame.message else { continue }
            switch message.opcode {
            case .text, .binary:
                delegate?.webSocket(self, didReceive: message, at: time)
            case .ping:
                answerPing(message.payload)
            case .close:
                serverSentClose(message.payload)
            case .pong, .continuation:
                break
            }
        }
    }

    private func answerPing(_ payload: ByteBuffer) {
        guard phase == .open, let context else { return }
        guard context.channel.isWritable else {
            // Kept past this read: copy, so the read buffer it is a slice of can go.
            owedPong = ByteBuffer(buffer: payload)
            return
        }
        write(opcode: .pong, payload: payload)
        needsFlush = true
    }

    private func serverSentClose(_ payload: ByteBuffer) {
        // The parser has validated the payload: this cannot fail.
        let parsed = try? WebSocketClosePayload.parse(payload)
        serverClose = (parsed?.code, parsed?.reason ?? "")
        if phase == .open {
            initiator = .server
            if let code = parsed?.code {
                write(closeCode: code, reason: "")
            } else {
                write(opcode: .close, payload: ByteBuffer())
            }
            needsFlush = true
            scheduleDeadline(options.closeTimeout)
        }
        phase = .closeExchanged
    }

    /// The server broke RFC 6455: send the close code and close TCP.
    private func violation(_ error: WebSocketProtocolError) {
        initiator = initiator ?? .client
        write(closeCode: error.closeCode, reason: error.reason)
        flush()
        fail(ReplayClientError(
            .protocolViolation,
            "server broke RFC 6455: \(error.reason) (closed with \(error.closeCode))",
            closeCode: error.closeCode
        ))
    }

    private func write(opcode: WebSocketOpcode, payload: ByteBuffer) {
        let frame = WebSocketFrameEncoder.encode(opcode: opcode.rawValue, payload: payload, maskingKey: maskingKeys.key())
        context?.write(NIOAny(frame), promise: nil)
    }

    private func write(closeCode: UInt16, reason: String) {
        let frame = WebSocketFrameEncoder.closeFrame(code: closeCode, reason: reason, maskingKey: maskingKeys.key())
        context?.write(NIOAny(frame), promise: nil)
    }

    // MARK: Ending

    private func scheduleDeadline(_ timeout: TimeAmount) {
        deadline?.cancel()
        deadline = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            deadlinePassed(timeout)
        }
    }

    private func deadlinePassed(_ timeout: TimeAmount) {
        switch phase {
        case .handshaking where tlsUnfinished:
            fail(ReplayClientError(.tls, "TLS with \(connector.target.authority): no answer within \(timeout.spoken)"))
        case .handshaking:
            fail(ReplayClientError(.handshake, "handshake: no answer within \(timeout.spoken)"))
        case .refused:
            fail(refusal!.error)
        case .closeSent:
            fail(ReplayClientError(.closeTimeout, "close: the server did not answer the close frame within \(timeout.spoken)"))
        case .closeExchanged:
            finish(error: nil)
            context?.close(promise: nil)
        case .connecting, .open, .finished:
            break
        }
    }

    /// Ends with `error` and closes TCP.
    private func fail(_ error: ReplayClientError) {
        guard phase != .finished else { return }
        finish(error: error)
        context?.close(promise: nil)
    }

    /// Tells the delegate (once) and lets it go.
    private func finish(error: ReplayClientError?) {
        guard phase != .finished else { return }
        phase = .finished
        deadline?.cancel()
        deadline = nil
        owedPong = nil
        let delegate = self.delegate
        self.delegate = nil
        delegate?.webSocket(self, didCloseWith: WebSocketClientClosure(
            initiator: initiator, code: serverClose.code, reason: serverClose.reason, error: error, time: .now()
        ))
    }
}
