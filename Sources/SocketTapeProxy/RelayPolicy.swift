import NIOCore
import SocketTapePolicy
import SocketTapeWire

/// The policy of one relayed WebSocket session: the engine that decides, the identity whose
/// budget the session spends, and the data frames of a message held back until the whole
/// message has been checked.
///
/// A watched direction's message is forwarded only once its last frame has arrived and the
/// engine let it through, so a dropped message leaves no fragment behind on the other side. The
/// held frames are bounded by the message size limit (``WebSocketLimits/maxMessageSize``, plus
/// frame headers). Control frames are never held.
struct RelayPolicy {
    let engine: PolicyEngine
    /// The identity the session's messages count against; a Socket.io session may learn it from its CONNECT.
    private(set) var identity: String
    /// For identities taken from the Socket.IO auth payload (`socket-io-auth-token`, `jwt-claim`):
    /// the key for a CONNECT's auth, nil when it has none.
    private let identityFromAuth: (@Sendable (JSONValue?) -> String?)?
    /// Set for Socket.io sessions: the engine gets each message's Socket.IO packet.
    let socketIO: SocketIOVersion?
    private let watchesServer: Bool
    private var heldFromClient: [ByteBuffer] = []
    private var heldFromServer: [ByteBuffer] = []
    /// Binary messages still to drop per side: the attachments of a dropped binary packet.
    private var attachmentsToDrop: [WebSocketRole: Int] = [:]

    init(
        engine: PolicyEngine, configuration: PolicyConfiguration, identity: String, socketIO: SocketIOVersion?,
        identityFromAuth: (@Sendable (JSONValue?) -> String?)? = nil
    ) {
        self.engine = engine
        self.identity = identity
        self.identityFromAuth = identityFromAuth
        self.socketIO = socketIO
        self.watchesServer = configuration.limits.contains { $0.from == .server }
    }

    /// Whether messages from `side` go through the engine: the client's always, the server's when a limit watches them.
    func watches(_ side: WebSocketRole) -> Bool {
        side == .client || watchesServer
    }

    /// Keeps a data frame until its message is decided.
    mutating func hold(_ wire: ByteBuffer, from side: WebSocketRole) {
        switch side {
        case .client: heldFromClient.append(wire)
        case .server: heldFromServer.append(wire)
        }
    }

    /// Hands over (to forward) or discards (to drop) the frames held for `side`.
    mutating func release(from side: WebSocketRole) -> [ByteBuffer] {
        var frames: [ByteBuffer] = []
        switch side {
        case .client: swap(&frames, &heldFromClient)
        case .server: swap(&frames, &heldFromServer)
        }
        return frames
    }

    /// The engine's verdict on a complete data message from `side`.
    ///
    /// In a Socket.io session only Engine.IO `message` packets are checked (pings, pongs and the
    /// upgrade's probes pass), and the attachments of a dropped binary packet are dropped with it,
    /// so the server never sees attachments without their packet.
    mutating func check(_ message: WebSocketMessage, from side: WebSocketRole, now: NIODeadline) -> PolicyVerdict {
        guard let socketIO else {
            return engine.check(
                PolicyMessage(from: side.policyDirection, isText: message.opcode == .text, payload: message.payload),
                identity: identity, now: now.uptimeNanoseconds
            )
        }
        if message.opcode == .binary {
            guard attachmentsToDrop[side, default: 0] > 0 else { return .pass }
            attachmentsToDrop[side, default: 0] -= 1
            return .act(.drop, rule: "attachment", detail: "an attachment of a dropped binary packet")
        }
        guard let text = Self.engineIOMessage(message) else { return .pass }
        let packet: SocketIOPacket?
        let decodeError: String?
        do throws(SocketIOError) {
            packet = try SocketIOPacket(decoding: text, version: socketIO)
            decodeError = nil
        } catch {
            packet = nil
            decodeError = error.description
        }
        if side == .client, let packet, packet.type == .connect, let key = identityFromAuth?(packet.data) {
            identity = key
        }
        let verdict = engine.check(
            PolicyMessage(from: side.policyDirection, isText: true, payload: message.payload, socketIO: packet, socketIOError: decodeError),
            identity: identity, now: now.uptimeNanoseconds
        )
        if case .act(.drop, _, _) = verdict, let packet, packet.attachments > 0 {
            attachmentsToDrop[side] = packet.attachments
        }
        return verdict
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
