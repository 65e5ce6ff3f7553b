import NIOCore
import SocketTapeTape

/// What happened when one session was replayed: what the target sent, how the session ended,
/// and how long its steps took.
public struct SessionOutcome: Sendable {
    /// The tape's session id.
    public var session: String
    /// The server's data messages, in arrival order, each with its nanoseconds from the session's start.
    public var received: [(message: ReplayMessage, offset: UInt64)] = []
    /// A Socket.io session's Engine.IO open packet from the target.
    public var openPacket: ReplayMessage?
    /// Client messages sent.
    public var sent = 0
    /// From the start of the connection attempt to the end of the handshake, when it succeeded.
    public var handshakeNanos: UInt64?
    /// Who ended the session and how (nil when it never opened).
    public var closedBy: Peer?
    public var closeCode: UInt16?
    /// Why the session failed (could not connect, was refused, timed out), when it did.
    public var error: String?
    /// What the replay had to do differently from the recording, such as a causal wait that timed out.
    public var notes: [String] = []

    public init(session: String) {
        self.session = session
    }
}
