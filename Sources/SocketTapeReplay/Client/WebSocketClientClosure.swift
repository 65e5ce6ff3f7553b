import NIOCore

/// How a ``WebSocketClientConnection`` ended; handed to
/// ``WebSocketClientDelegate/webSocket(_:didCloseWith:)`` once.
public struct WebSocketClientClosure: Sendable, Equatable {
    /// Who sent the first close frame.
    public enum Initiator: Sendable, Equatable {
        case client
        case server
    }

    /// Who sent the first close frame; nil when none was sent (a failure before or without one).
    public var initiator: Initiator?
    /// The status code of the server's close frame; nil when the server sent none, or one without a code.
    public var code: UInt16?
    /// The reason of the server's close frame.
    public var reason: String
    /// Nil after a complete close handshake; otherwise what went wrong.
    public var error: ReplayClientError?
    /// When the connection ended.
    public var time: NIODeadline

    public init(initiator: Initiator?, code: UInt16?, reason: String, error: ReplayClientError?, time: NIODeadline) {
        self.initiator = initiator
        self.code = code
        self.reason = reason
        self.error = error
        self.time = time
    }
}
