import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One captured TCP connection on its way to the tape: first HTTP/1.x, then possibly WebSocket.
///
/// When the capture saw the connection open, its first client bytes must be an HTTP request.
/// When it began mid-connection, the first bytes decide: an HTTP start line, or a masked
/// WebSocket frame (the session is then recorded without its handshake). Anything else (TLS, another
/// protocol) is counted and left out.
///
/// A class, like ``CapturedWebSocket``: the decoder changes it in place on every segment.
final class CapturedConnection {
    let client: IPEndpoint
    let server: IPEndpoint
    /// Whether the connection's first bytes were captured: when not (a capture begun
    /// mid-connection, or a hole before the first request), the first bytes may be mid-message.
    private var handshakeSeen: Bool
    private var phase: Phase
    /// The directions that ended (FIN); the connection is done when both have.
    private var closedDirections: Set<TCPDirection> = []

    /// Whether both directions ended: nothing more will come.
    var isFinished: Bool { closedDirections.count == 2 }

    private enum Phase {
        /// Waiting for the first client bytes to tell what the connection carries.
        case undecided(client: ByteBuffer, server: ByteBuffer)
        case http(CapturedHTTP)
        case webSocket(CapturedWebSocket)
        /// Not HTTP/1.x: everything is ignored.
        case undecodable
        /// Held only while the HTTP or undecided state is changed in place: the enum then no
        /// longer shares that state's buffered bytes, which would make every append copy them.
        case updating
    }

    /// The most bytes held while deciding what a connection carries.
    private static let maxUndecidedBytes = 64 * 1024

    init(client: IPEndpoint, server: IPEndpoint, handshakeSeen: Bool) {
        self.client = client
        self.server = server
        self.handshakeSeen = handshakeSeen
        self.phase = .undecided(client: ByteBuffer(), server: ByteBuffer())
    }

    private var endpoints: (client: IPEndpoint, server: IPEndpoint) { (client, server) }

    func received(_ bytes: ByteBuffer, _ direction: TCPDirection, at wallMicros: Int64, tape: inout CaptureTape) {
        switch phase {
        case .undecided(var clientBytes, var serverBytes):
            phase = .updating
            var bytes = bytes
            if direction == .clientToServer { clientBytes.writeBuffer(&bytes) } else { serverBytes.writeBuffer(&bytes) }
            phase = .undecided(client: clientBytes, server: serverBytes)
            decide(clientBytes, serverBytes, at: wallMicros, tape: &tape)
        case .http(var http):
            phase = .updating
            let outcome = http.received(bytes, clientToServer: direction == .clientToServer, at: wallMicros, endpoints: endpoints, tape: &tape)
            phase = .http(http)
            if case .switched(let webSocket, let clientBytes, let serverBytes) = outcome {
                startWebSocket(webSocket, client: clientBytes, server: serverBytes, at: wallMicros, tape: &tape)
            }
        case .webSocket(let webSocket):
            webSocket.received(bytes, from: direction.sender, at: wallMicros, tape: &tape)
        case .undecodable, .updating:
            break
        }
    }

    func missed(_ byteCount: UInt64, _ direction: TCPDirection, at wallMicros: Int64, tape: inout CaptureTape) {
        switch phase {
        case .undecided:
            tape.statistics.holes += 1
            tape.statistics.bytesMissed += byteCount
            handshakeSeen = false
            phase = .undecided(client: ByteBuffer(), server: ByteBuffer())
        case .http(var http):
            phase = .updating
            http.missed(byteCount, clientToServer: direction == .clientToServer, tape: &tape)
            phase = .http(http)
        case .webSocket(let webSocket):
            webSocket.missed(byteCount, from: direction.sender, at: wallMicros, tape: &tape)
        case .undecodable, .updating:
            break
        }
    }

    func closed(_ direction: TCPDirection, reset: Bool, at wallMicros: Int64, tape: inout CaptureTape) {
        closedDirections.insert(direction)
        if reset { closedDirections = [.clientToServer, .serverToClient] }
        switch phase {
        case .http(var http):
            phase = .updating
            if isFinished {
                http.ended(at: wallMicros, endpoints: endpoints, tape: &tape)
            } else if direction == .serverToClient {
                http.serverClosed(at: wallMicros, endpoints: endpoints, tape: &tape)
            }
            phase = .http(http)
        case .webSocket(let webSocket):
            webSocket.ended(direction.sender, reset: reset, at: wallMicros, tape: &tape)
        case .undecided, .undecodable, .updating:
            break
        }
    }

    func unfinished(at wallMicros: Int64, tape: inout CaptureTape) {
        switch phase {
        case .http(var http):
            phase = .updating
            http.ended(at: wallMicros, endpoints: endpoints, tape: &tape)
            phase = .http(http)
        case .webSocket(let webSocket):
            webSocket.unfinished(at: wallMicros, tape: &tape)
        case .undecided, .undecodable, .updating:
            break
        }
    }

    // MARK: Deciding

    private func decide(_ clientBytes: ByteBuffer, _ serverBytes: ByteBuffer, at wallMicros: Int64, tape: inout CaptureTape) {
        let view = clientBytes.readableBytesView
        if view.count >= 2, view[view.startIndex] == 0x16, view[view.startIndex + 1] == 0x03 {
            return giveUp("TLS: the traffic is encrypted and cannot be decoded without its keys", tape: &tape)
        }
        let startLine = HTTPStartLineScanner(kind: .requests).firstStartLine(in: view)
        if startLine == 0 || (!handshakeSeen && startLine != nil) {
            var http = CapturedHTTP(bodyLimit: tape.options.maxRecordedBodyBytes, synchronizing: !handshakeSeen)
            _ = http.received(serverBytes, clientToServer: false, at: wallMicros, endpoints: endpoints, tape: &tape)
            phase = .http(http)
            return received(clientBytes, .clientToServer, at: wallMicros, tape: &tape)
        }
        let frameStart = WebSocketFrameSync(sender: .client, maxFrameSize: tape.options.webSocketLimits.maxFrameSize).search(clientBytes)
        if !handshakeSeen, frameStart != .none {
            return startMidStreamWebSocket(client: clientBytes, server: serverBytes, at: wallMicros, tape: &tape)
        }
        if view.count > Self.maxUndecidedBytes || serverBytes.readableBytes > Self.maxUndecidedBytes
            || (handshakeSeen && view.count >= 16 && view.firstIndex(of: 0x0A) != nil) {
            giveUp("neither HTTP/1.x nor WebSocket", tape: &tape)
        }
    }

    private func giveUp(_ reason: String, tape: inout CaptureTape) {
        phase = .undecodable
        tape.statistics.undecodedConnections += 1
        if tape.statistics.undecodedExample == nil {
            tape.statistics.undecodedExample = "\(client) → \(server): \(reason)"
        }
    }

    private func startMidStreamWebSocket(client clientBytes: ByteBuffer, server serverBytes: ByteBuffer, at wallMicros: Int64, tape: inout CaptureTape) {
        let session = tape.newSession()
        tape.record(session, .open(SessionOpen(
            client: client.description, transport: .websocket, upstream: "ws://\(server)",
            request: HTTPRequestRecord(method: "GET", target: "", headers: []), response: nil
        )), at: wallMicros)
        tape.record(session, .policy(PolicyDecision(
            from: .client, rule: "capture-gap", action: "skip",
            detail: "the capture began after the WebSocket handshake: the request is unknown, and compressed messages decode only if permessage-deflate was negotiated without context takeover"
        )), at: wallMicros)
        let webSocket = CapturedWebSocket(
            session: session, engineIO: nil, deflate: PerMessageDeflateParameters(), limits: tape.options.webSocketLimits, midStream: true
        )
        startWebSocket(webSocket, client: clientBytes, server: serverBytes, at: wallMicros, tape: &tape)
    }

    private func startWebSocket(
        _ webSocket: CapturedWebSocket, client clientBytes: ByteBuffer, server serverBytes: ByteBuffer, at wallMicros: Int64,
        tape: inout CaptureTape
    ) {
        if serverBytes.readableBytes > 0 { webSocket.received(serverBytes, from: .server, at: wallMicros, tape: &tape) }
        if clientBytes.readableBytes > 0 { webSocket.received(clientBytes, from: .client, at: wallMicros, tape: &tape) }
        phase = .webSocket(webSocket)
    }
}

extension TCPDirection {
    /// The WebSocket endpoint that sends in this direction.
    var sender: WebSocketRole {
        self == .clientToServer ? .client : .server
    }
}
