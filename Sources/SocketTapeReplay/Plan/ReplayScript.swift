import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One recorded session as the replayer plays it: the handshake to perform, the client's
/// messages to send (with when and after what), and the server's messages to expect.
///
/// For a Socket.io session the messages are Engine.IO packets in their WebSocket form, whatever
/// transport carried them: the replayer performs its own Engine.IO handshake, answers pings and
/// upgrades itself, so the recorded handshake, ping, pong, upgrade and noop packets are neither
/// sent nor expected (``ReplayPlanBuilder``).
public struct ReplayScript: Sendable {
    /// The tape's session id.
    public var session: String
    /// When the session opened, in nanoseconds from the tape's start.
    public var start: UInt64
    /// The handshake request as recorded (headers redacted unless recorded with `--no-redact`).
    public var request: HTTPRequestRecord
    public var kind: Kind
    /// What the client sent, in order.
    public var outgoing: [Outgoing] = []
    /// What the server sent, in order: what the replay compares against.
    public var expected: [Expected] = []
    /// A Socket.io session's Engine.IO open packet as the server sent it (the replayer's
    /// handshake gets a new one; comparing the two maps the sid and checks the parameters).
    public var openPacket: Expected?
    /// How the recorded session ended, when its end is on the tape.
    public var end: End?

    /// Plain WebSocket, or Socket.io on Engine.IO.
    public enum Kind: Sendable, Equatable {
        case webSocket
        /// `transport` is the one the session opened with; `upgraded` when it moved to WebSocket.
        case socketIO(EngineIOVersion, transport: Transport, upgraded: Bool)
    }

    /// A client message and when to send it.
    public struct Outgoing: Sendable, Equatable {
        public var message: ReplayMessage
        /// Nanoseconds after the session's start.
        public var offset: UInt64
    }

    /// A server message the replay should receive.
    public struct Expected: Sendable, Equatable {
        public var message: ReplayMessage
        /// Nanoseconds after the session's start.
        public var offset: UInt64
        /// How it travelled on the tape.
        public var transport: Transport
    }

    /// Who closed the recorded session, with what code.
    public struct End: Sendable, Equatable {
        public var by: Peer
        public var code: UInt16?
        public var reason: String
        /// Nanoseconds after the session's start.
        public var offset: UInt64
    }
}

/// One message of a script: an opcode and its payload (unmasked, inflated).
public struct ReplayMessage: Sendable, Equatable {
    public var opcode: WebSocketOpcode
    public var payload: ByteBuffer

    public init(opcode: WebSocketOpcode, payload: ByteBuffer) {
        self.opcode = opcode
        self.payload = payload
    }

    /// The payload as text (lossy for binary payloads).
    public var text: String { String(buffer: payload) }
}
