/// What one message of a Socket.IO session decoded to (``SocketIOSessionDecoder``).
public struct SocketIOSessionOutcome: Sendable, Equatable {
    /// The Engine.IO packet; nil when the message is not one (it did not decode, or it is a
    /// WebSocket close, ping or pong).
    public var engineIO: EngineIOPacket?
    /// The Socket.IO side of the message.
    public var socketIO: SocketIOContent
    /// Why the message, or part of it, did not decode (the error's description, with the byte
    /// offset in the message). Usually `socketIO` is then `.none`; the exception is a text packet
    /// that arrived while a binary packet still waited for attachments: the new packet is
    /// decoded, and this says that the waiting one was abandoned.
    public var error: String?

    public init(engineIO: EngineIOPacket? = nil, socketIO: SocketIOContent = .none, error: String? = nil) {
        self.engineIO = engineIO
        self.socketIO = socketIO
        self.error = error
    }
}

/// The Socket.IO side of one message.
public enum SocketIOContent: Sendable, Equatable {
    /// None: an Engine.IO packet other than `message` (`2probe`, `5`, `6`, …), or an error.
    case none
    /// A complete packet, in one message.
    case packet(SocketIOPacket)
    /// A BINARY_EVENT or BINARY_ACK header (data with placeholders); its `count` attachments
    /// follow in the next binary messages from the same side.
    case awaitingAttachments(SocketIOPacket, count: Int)
    /// Attachment `index` (0-based) of `count`; after the last one, `completed` is the packet
    /// with every placeholder replaced by `{"$bytes":…}`.
    case attachment(index: Int, count: Int, completed: SocketIOPacket?)

    /// The complete packet this message finished, if any.
    public var completedPacket: SocketIOPacket? {
        switch self {
        case .packet(let packet): packet
        case .attachment(_, _, let completed): completed
        case .none, .awaitingAttachments: nil
        }
    }
}
