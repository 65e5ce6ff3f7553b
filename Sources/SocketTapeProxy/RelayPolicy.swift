import NIOCore
import SocketTapePolicy
import SocketTapeWire

/// The policy of one relayed WebSocket session: the session's ``SessionPolicy`` and the data
/// frames of a message held back until the whole message has been checked.
///
/// A watched direction's message is forwarded only once its last frame has arrived and the
/// engine let it through, so a dropped message leaves no fragment behind on the other side. The
/// held frames are bounded by the message size limit (``WebSocketLimits/maxMessageSize``, plus
/// frame headers). Control frames are never held.
struct RelayPolicy {
    var session: SessionPolicy
    private let watchesServer: Bool
    private var heldFromClient: [ByteBuffer] = []
    private var heldFromServer: [ByteBuffer] = []

    init(_ session: SessionPolicy) {
        self.session = session
        self.watchesServer = session.engine.configuration.limits.contains { $0.from == .server }
    }

    /// The identity the session's messages count against.
    var identity: String { session.identity }

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

    /// The engine's verdict on a complete data message from `side` (``SessionPolicy/check(_:from:now:)``).
    mutating func check(_ message: WebSocketMessage, from side: WebSocketRole, now: NIODeadline) -> SessionPolicy.Checked {
        session.check(message, from: side, now: now)
    }
}
