import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// A Socket.io session replayed on Engine.IO, with its own handshake, heartbeat and upgrade.
///
/// * **Handshake.** A session recorded on long-polling starts with a polling handshake (GET);
///   one recorded WebSocket-only opens a WebSocket at once. Either way the new open packet goes to
///   the comparison, which maps the new sid.
/// * **Upgrade.** A session that moved to WebSocket on the tape moves right after the handshake
///   (probe `2probe`/`3probe`, then `5`), before its first message: every message then travels on
///   WebSocket, so the replay does not depend on when the recorded client happened to upgrade.
/// * **Polling only.** A session that never upgraded stays on polling: one connection waits on
///   GET (long-poll), another carries POSTs, each one at a time; packets sent while a POST is out
///   go in the next one.
/// * **Heartbeat.** Engine.IO v4: the server pings, the replayer answers. v3: the replayer pings
///   every `pingInterval` itself. Recorded pings and pongs are never replayed.
final class EngineIOReplayConnection: ReplayConnection, WebSocketClientDelegate {
    private enum Phase {
        case handshaking, probing, open, closing, closed
    }

    private weak var delegate: (any ReplayConnectionDelegate)?
    private let version: EngineIOVersion
    private let targets: EngineIORequestTargets
    private let headers: [HeaderField]
    private let httpHeaders: [HeaderField]
    private let connector: ReplayConnector
    private let options: WebSocketClientOptions
    private let eventLoop: any EventLoop
    private let upgrades: Bool
    private var phase = Phase.handshaking
    private var sid: String?
    /// The handshake's ping interval, milliseconds.
    private var pingInterval = 25_000
    private var openPacket: ReplayMessage?
    private var socket: WebSocketClientConnection?
    /// Long-polling: the connection waiting on GET, and the one for POSTs.
    private var poller: HTTPClientConnection?
    private var poster: HTTPClientConnection?
    private var postInFlight = false
    /// Long-polling: packets for the next POST.
    private var outbox: [EngineIOPacket] = []
    /// WebSocket: messages the socket could not take yet.
    private var waiting = CircularBuffer<ReplayMessage>()
    /// Engine.IO v3: the replayer's next ping.
    private var heartbeat: Scheduled<Void>?
    private var acks: AckRenumbering

    private init(
        _ script: ReplayScript, version: EngineIOVersion, upgrades: Bool, connector: ReplayConnector,
        options: WebSocketClientOptions, eventLoop: any EventLoop, delegate: any ReplayConnectionDelegate
    ) {
        self.delegate = delegate
        self.version = version
        self.targets = EngineIORequestTargets(recorded: script.request.target, version: version)
        self.headers = script.request.headers
        self.httpHeaders = options.headerOverrides.apply(to: script.request.headers).headers
        self.connector = connector
        self.options = options
        self.eventLoop = eventLoop
        self.upgrades = upgrades
        self.acks = AckRenumbering(expected: script.expected.map(\.message), version: version)
    }

    /// Starts the session of `script` (a Socket.io one); failures reach `delegate` as a close.
    static func open(
        _ script: ReplayScript, using connector: ReplayConnector, options: WebSocketClientOptions,
        on eventLoop: any EventLoop, delegate: any ReplayConnectionDelegate
    ) -> EngineIOReplayConnection {
        guard case .socketIO(let version, let transport, let upgraded) = script.kind else {
            preconditionFailure("EngineIOReplayConnection plays Socket.io sessions only")
        }
        let connection = EngineIOReplayConnection(
            script, version: version, upgrades: upgraded, connector: connector, options: options,
            eventLoop: eventLoop, delegate: delegate
        )
        if transport == .polling {
            connection.pollingHandshake()
        } else {
            connection.connectWebSocket(sid: nil)
        }
        return connection
    }

    // MARK: ReplayConnection

    func send(_ message: ReplayMessage) {
        guard phase == .open else { return }
        let message = acks.rewrite(message)
        if let socket {
            if waiting.isEmpty, socket.send(opcode: message.opcode, payload: message.payload) != .notWritable { return }
            waiting.append(message)
        } else if let packet = Self.packet(of: message, version: version) {
            outbox.append(packet)
            post()
        }
    }

    func close(code: UInt16?, reason: String) {
        guard phase != .closing, phase != .closed else { return }
        phase = .closing
        heartbeat?.cancel()
        if let socket {
            socket.close(code: code ?? 1000, reason: reason)
        } else {
            outbox.append(EngineIOPacket(type: .close))
            post()
        }
    }

    // MARK: Handshake and upgrade

    private func pollingHandshake() {
        let target = targets.target(transport: .polling)
        let headers = httpHeaders
        HTTPClientConnection.connect(using: connector, on: eventLoop).assumeIsolated().flatMap { [self] poller in
            self.poller = poller
            delegate?.connectionConnected(at: .now())
            return poller.request(method: .GET, target: target, headers: headers)
        }.whenComplete { [self] result in
            guard phase == .handshaking else { return }
            switch result {
            case .failure(let error):
                fail("Engine.IO handshake: \(error)")
            case .success(let response):
                guard response.status == .ok, let packets = decode(response), let open = packets.first, open.type == .open,
                      let handshake = try? EngineIOHandshake(open)
                else {
                    return fail("Engine.IO handshake: HTTP \(response.status.code), \(Self.excerpt(response.body))")
                }
                opened(handshake, packet: open)
            }
        }
    }

    private func connectWebSocket(sid: String?) {
        do throws(ReplayClientError) {
            socket = try WebSocketClientConnection.connect(
                using: connector, target: targets.target(transport: .websocket, sid: sid), headers: headers,
                options: options, on: eventLoop, delegate: self
            )
        } catch {
            eventLoop.assumeIsolated().execute { self.fail(error.description) }
        }
    }

    /// The handshake's open packet arrived (on polling or WebSocket).
    private func opened(_ handshake: EngineIOHandshake, packet: EngineIOPacket) {
        sid = handshake.sid
        pingInterval = handshake.pingInterval
        openPacket = (try? packet.webSocketMessage(version: version)).map { ReplayMessage(opcode: $0.opcode, payload: $0.payload) }
        if socket == nil, upgrades {
            phase = .probing
            connectWebSocket(sid: handshake.sid)
            return
        }
        becomeOpen()
    }

    private func becomeOpen() {
        phase = .open
        if socket != nil {
            _ = poller?.close()
            poller = nil
        } else {
            poll()
        }
        if version == .v3 {
            ping(every: .milliseconds(Int64(max(pingInterval, 100))))
        }
        delegate?.connectionOpened(at: .now(), openPacket: openPacket)
    }

    private func ping(every interval: TimeAmount) {
        heartbeat = eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            guard phase == .open else { return }
            sendPacket(EngineIOPacket(type: .ping))
            ping(every: interval)
        }
    }

    // MARK: WebSocketClientDelegate

    func webSocketDidConnect(_ connection: WebSocketClientConnection, at time: NIODeadline) {
        if phase == .handshaking { delegate?.connectionConnected(at: time) }
    }

    func webSocketDidOpen(_ connection: WebSocketClientConnection, response: HTTPResponseHead) {
        if phase == .probing {
            _ = connection.send(text: "2probe")
        }
    }

    func webSocket(_ connection: WebSocketClientConnection, didReceive message: WebSocketMessage, at time: NIODeadline) {
        let packet: EngineIOPacket?
        switch message.opcode {
        case .text: packet = try? EngineIOPacket.decode(webSocketText: message.payload)
        default: packet = try? EngineIOPacket.decode(webSocketBinary: message.payload, version: version)
        }
        switch phase {
        case .handshaking:
            guard let packet, packet.type == .open, let handshake = try? EngineIOHandshake(packet) else {
                return fail("Engine.IO handshake: the first message was not an open packet: \(Self.excerpt(message.payload))")
            }
            opened(handshake, packet: packet)
        case .probing:
            guard let packet, packet.type == .pong, packet.text == "probe" else {
                return fail("Engine.IO upgrade: expected 3probe, got \(Self.excerpt(message.payload))")
            }
            _ = connection.send(text: "5")
            becomeOpen()
        case .open, .closing:
            receive(ReplayMessage(opcode: message.opcode, payload: message.payload.owned()), packet: packet, at: time)
        case .closed:
            return
        }
    }

    func webSocketWritabilityChanged(_ connection: WebSocketClientConnection) {
        while let message = waiting.first, connection.send(opcode: message.opcode, payload: message.payload) == .sent {
            waiting.removeFirst()
        }
    }

    func webSocket(_ connection: WebSocketClientConnection, didCloseWith closure: WebSocketClientClosure) {
        socket = nil
        finish(code: closure.code, reason: closure.reason, error: phase == .closing ? nil : closure.error?.description)
    }

    // MARK: Packets

    /// A server packet of the open session: the heartbeat is answered here, the conversation goes on.
    private func receive(_ message: ReplayMessage, packet: EngineIOPacket?, at time: NIODeadline) {
        switch packet?.type {
        case .ping?:
            sendPacket(EngineIOPacket(type: .pong, data: packet?.data ?? .empty))
        case .pong?, .noop?, .open?, .upgrade?:
            return
        case .message?, .close?, nil:
            acks.serverSent(message)
            delegate?.connectionReceived(message, at: time)
        }
    }

    private func sendPacket(_ packet: EngineIOPacket) {
        if let socket {
            guard let message = try? packet.webSocketMessage(version: version) else { return }
            _ = socket.send(opcode: message.opcode, payload: message.payload)
        } else {
            outbox.append(packet)
            post()
        }
    }

    // MARK: Long-polling

    /// Waits on GET for the server's packets, again and again, while the session is open.
    private func poll() {
        guard let poller, let sid else { return }
        poller.request(method: .GET, target: targets.target(transport: .polling, sid: sid), headers: httpHeaders)
            .assumeIsolated().whenComplete { [self] result in
                guard phase == .open || phase == .closing else { return }
                switch result {
                case .success(let response) where response.status == .ok:
                    let now = NIODeadline.now()
                    for packet in decode(response) ?? [] {
                        guard let message = try? packet.webSocketMessage(version: version) else { continue }
                        receive(ReplayMessage(opcode: message.opcode, payload: message.payload), packet: packet, at: now)
                    }
                    poll()
                case .success(let response):
                    finish(code: nil, reason: "", error: phase == .closing ? nil : "Engine.IO poll: HTTP \(response.status.code)")
                case .failure(let error):
                    finish(code: nil, reason: "", error: phase == .closing ? nil : "Engine.IO poll: \(error)")
                }
            }
    }

    /// Sends the outbox in one POST, unless one is out already (then it goes when that one is answered).
    private func post() {
        guard !postInFlight, !outbox.isEmpty, let sid else { return }
        let binary = version == .v3 && outbox.contains { if case .binary = $0.data { true } else { false } }
        guard let body = try? EngineIOPayload.encode(outbox, version: version, binary: binary) else {
            return fail("Engine.IO: cannot encode \(outbox.count) packets for a POST")
        }
        let closing = outbox.contains { $0.type == .close }
        outbox = []
        postInFlight = true
        let headers = httpHeaders + [HeaderField("Content-Type", binary ? "application/octet-stream" : "text/plain;charset=UTF-8")]
        let target = targets.target(transport: .polling, sid: sid)
        let connection = poster.map { eventLoop.makeSucceededFuture($0) } ?? HTTPClientConnection.connect(using: connector, on: eventLoop)
        connection.assumeIsolated().flatMap { [self] poster in
            self.poster = poster
            return poster.request(method: .POST, target: target, headers: headers, body: body)
        }.whenComplete { [self] result in
            postInFlight = false
            switch result {
            case .success(let response) where response.status == .ok:
                if closing { return finish(code: nil, reason: "", error: nil) }
                post()
            case .success(let response):
                fail("Engine.IO POST: HTTP \(response.status.code), \(Self.excerpt(response.body))")
            case .failure(let error):
                fail("Engine.IO POST: \(error)")
            }
        }
    }

    private func decode(_ response: HTTPClientResponse) -> [EngineIOPacket]? {
        let binary = response.headers["Content-Type"].contains { $0.lowercased().hasPrefix("application/octet-stream") }
        return try? EngineIOPayload.decode(response.body, version: version, binary: binary)
    }

    // MARK: Ending

    private func fail(_ error: String) {
        finish(code: nil, reason: "", error: error)
    }

    private func finish(code: UInt16?, reason: String, error: String?) {
        guard phase != .closed else { return }
        phase = .closed
        heartbeat?.cancel()
        socket?.abort()
        socket = nil
        _ = poller?.close()
        _ = poster?.close()
        poller = nil
        poster = nil
        delegate?.connectionClosed(code: code, reason: reason, error: error)
    }

    /// The Engine.IO packet of a message in WebSocket form.
    private static func packet(of message: ReplayMessage, version: EngineIOVersion) -> EngineIOPacket? {
        switch message.opcode {
        case .text: try? EngineIOPacket.decode(webSocketText: message.payload)
        default: try? EngineIOPacket.decode(webSocketBinary: message.payload, version: version)
        }
    }

    /// The start of a body or message, for error messages.
    private static func excerpt(_ bytes: ByteBuffer) -> String {
        let text = String(buffer: bytes.getSlice(at: bytes.readerIndex, length: min(bytes.readableBytes, 80)) ?? bytes)
        return text.isEmpty ? "(empty)" : "'\(text)'"
    }
}
