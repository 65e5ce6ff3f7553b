import NIOCore
import SocketTapePolicy
import SocketTapeWire

/// What the policy knows of one session, whichever transport carries its messages: the engine
/// that decides, the identity whose budget the session spends, and the attachments still to drop.
///
/// A WebSocket relay keeps one in its ``RelayPolicy``; a Socket.io session on long-polling keeps
/// one in the ``EngineIOSessionTable`` (its requests arrive on any connection), and hands it to
/// the relay when it upgrades, so an identity learned from a CONNECT over polling stays.
struct SessionPolicy: Sendable {
    let engine: PolicyEngine
    /// The identity the session's messages count against; a Socket.io session may learn it from its CONNECT.
    private(set) var identity: String
    /// For identities taken from the Socket.IO auth payload (`socket-io-auth-token`, `jwt-claim`):
    /// the key for a CONNECT's auth and the claims its token was verified to have, nil when it has none.
    private let identityFromAuth: (@Sendable (JSONValue?, ClaimSource) -> String?)?
    /// Set for Socket.io sessions: the engine gets each message's Socket.IO packet.
    let socketIO: SocketIOVersion?
    /// Whether each Socket.IO CONNECT from the client must carry a valid token (`authentication.jwt`
    /// in a session whose handshake carried none).
    private let authenticatesConnects: Bool
    /// Binary messages still to drop per side: the attachments of a dropped binary packet.
    private var attachmentsToDrop: [WebSocketRole: Int] = [:]

    init(
        engine: PolicyEngine, identity: String, socketIO: SocketIOVersion?,
        identityFromAuth: (@Sendable (JSONValue?, ClaimSource) -> String?)? = nil, authenticatesConnects: Bool = false
    ) {
        self.engine = engine
        self.identity = identity
        self.identityFromAuth = identityFromAuth
        self.socketIO = socketIO
        self.authenticatesConnects = authenticatesConnects
    }

    /// The engine's verdict on a complete data message from `side`, in its WebSocket form (a
    /// polling packet as ``EngineIOPacket/webSocketMessage(version:)`` makes it).
    ///
    /// In a Socket.io session only Engine.IO `message` packets are checked (pings, pongs and the
    /// upgrade's probes pass), and the attachments of a dropped binary packet are dropped with it,
    /// so the server never sees attachments without their packet. ``Checked/packet`` is the
    /// Socket.IO packet the message carried, when it decoded. A client's CONNECT is authenticated
    /// (`authentication.jwt`) before the engine checks it: a refused one is a drop by
    /// `authentication.jwt` with ``Checked/connectError`` to answer, and takes no tokens.
    mutating func check(_ message: WebSocketMessage, from side: WebSocketRole, now: NIODeadline) -> Checked {
        guard let socketIO else {
            return Checked(verdict: engine.check(
                PolicyMessage(from: side.policyDirection, isText: message.opcode == .text, payload: message.payload),
                identity: identity, now: now.uptimeNanoseconds
            ))
        }
        if message.opcode == .binary {
            guard attachmentsToDrop[side, default: 0] > 0 else { return Checked(verdict: .pass) }
            attachmentsToDrop[side, default: 0] -= 1
            return Checked(verdict: .act(.drop, rule: "attachment", detail: "an attachment of a dropped binary packet"))
        }
        guard let text = Self.engineIOMessage(message) else { return Checked(verdict: .pass) }
        let packet: SocketIOPacket?
        let decodeError: String?
        do throws(SocketIOError) {
            packet = try SocketIOPacket(decoding: text, version: socketIO)
            decodeError = nil
        } catch {
            packet = nil
            decodeError = error.description
        }
        if side == .client, let packet, packet.type == .connect {
            switch engine.authenticateConnect(packet, handshakeAuthenticated: !authenticatesConnects) {
            case .refuse(let reply, let rule, let detail):
                return Checked(verdict: .act(.drop, rule: rule, detail: detail), packet: packet, connectError: reply)
            case .pass(let claims):
                let source: ClaimSource = engine.configuration.authentication == nil ? .unverifiedToken : .verified(claims)
                if let key = identityFromAuth?(packet.data, source) { identity = key }
            }
        }
        let verdict = engine.check(
            PolicyMessage(from: side.policyDirection, isText: true, payload: message.payload, socketIO: packet, socketIOError: decodeError),
            identity: identity, now: now.uptimeNanoseconds
        )
        if case .act(.drop, _, _) = verdict, let packet, packet.attachments > 0 {
            attachmentsToDrop[side] = packet.attachments
        }
        return Checked(verdict: verdict, packet: packet)
    }

    /// A verdict and the Socket.IO packet it was about.
    struct Checked {
        var verdict: PolicyVerdict
        var packet: SocketIOPacket?
        /// For a CONNECT authentication refused: the CONNECT_ERROR the client gets instead.
        var connectError: SocketIOPacket?

        /// The action as the tape names it: `refuse` for a refused CONNECT, else the verdict's.
        func recordedAction(_ action: PolicyAction) -> String {
            connectError == nil ? action.rawValue : "refuse"
        }

        /// What the client gets for a dropped message: the CONNECT_ERROR of a refused CONNECT,
        /// else the drop notice, if any (``SessionPolicy/dropNotice(for:from:)``).
        func reply(from policy: SessionPolicy, side: WebSocketRole) -> SocketIOPacket? {
            connectError ?? policy.dropNotice(for: self, from: side)
        }
    }

    /// The event the client gets when the proxy drops one of its events (`drop-notice-event`):
    /// in the dropped packet's namespace, `[NAME, {"event": …, "rule": …, "detail": …}]`, as the
    /// text of an Engine.IO message packet. Nil when no notice is configured, the message was not
    /// a client's Socket.IO event, or the verdict is not a drop.
    func dropNotice(for checked: Checked, from side: WebSocketRole) -> SocketIOPacket? {
        guard side == .client, let name = engine.configuration.dropNoticeEvent,
              case .act(.drop, let rule, let detail) = checked.verdict,
              let packet = checked.packet, packet.type.isEvent, let event = packet.event
        else { return nil }
        let notice: JSONObject = ["event": .string(event), "rule": .string(rule), "detail": .string(detail)]
        return SocketIOPacket(type: .event, namespace: packet.namespace, data: .array([.string(name), .object(notice)]))
    }

    /// The Socket.IO text an Engine.IO `message` packet (`4…`) carries; `nil` for other packets.
    private static func engineIOMessage(_ message: WebSocketMessage) -> ByteBuffer? {
        let payload = message.payload
        guard message.opcode == .text, payload.readableBytes > 0,
              payload.getInteger(at: payload.readerIndex, as: UInt8.self) == UInt8(ascii: "4")
        else { return nil }
        return payload.getSlice(at: payload.readerIndex + 1, length: payload.readableBytes - 1)
    }
}

extension WebSocketRole {
    /// The policy's name for this sender.
    var policyDirection: PolicyDirection {
        self == .client ? .client : .server
    }
}
