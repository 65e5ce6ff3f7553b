import NIOCore

/// One entry on a tape: a session event with its time.
///
/// Every way traffic enters SocketTape (the inline proxy today; captures and imports later)
/// produces these records, and every consumer (inspect, export, replay) reads them. The binary
/// layout is specified in `docs/tape-format.md`; the JSON Lines shape in DESIGN.md's interchange
/// section.
public struct TapeRecord: Sendable, Equatable {
    /// The session the record belongs to; empty for tape-level records such as ``Body/gap(_:)``.
    public var session: String
    /// When the record was taken.
    public var time: RecordTime
    /// What happened.
    public var body: Body

    public init(session: String, time: RecordTime, body: Body) {
        self.session = session
        self.time = time
        self.body = body
    }

    /// The kinds of record a tape holds.
    ///
    /// The rare, large bodies are `indirect` so a record stays small: the proxy copies message
    /// and frame records into the writer's queue on every read.
    public enum Body: Sendable, Equatable {
        /// A connection and its handshake.
        indirect case open(SessionOpen)
        /// One WebSocket frame as it crossed the wire (header facts only; the payload is in the message).
        case frame(FrameInfo)
        /// A complete data or control message.
        case message(MessageRecord)
        /// A non-upgrade HTTP exchange.
        indirect case http(HTTPExchange)
        /// A rate-limit or validation decision, or a protocol violation the proxy acted on.
        indirect case policy(PolicyDecision)
        /// The end of a session.
        indirect case close(SessionClose)
        /// The session moved to another transport (Engine.IO polling upgraded to WebSocket).
        indirect case upgrade(TransportUpgrade)
        /// Records that could not be written (or were lost) and why: the tape's own account of a hole.
        case gap(Gap)
    }
}

/// The two clocks every record carries.
public struct RecordTime: Sendable, Equatable, Hashable {
    /// Wall-clock time, microseconds since the Unix epoch (UTC).
    public var wallMicros: Int64
    /// Monotonic time since the tape's start, in nanoseconds. Replay timing uses this.
    public var offsetNanos: UInt64

    public init(wallMicros: Int64, offsetNanos: UInt64) {
        self.wallMicros = wallMicros
        self.offsetNanos = offsetNanos
    }

    /// Seconds from the tape's start (the JSON Lines `t` field).
    public var offsetSeconds: Double { Double(offsetNanos) / 1_000_000_000 }
}

/// Which side of a session sent a message or frame, or closed it.
public enum Peer: UInt8, Sendable, Equatable, Hashable, CaseIterable {
    case client = 0
    case server = 1
    /// SocketTape itself (a close it initiated, a policy it enforced).
    case proxy = 2

    /// The name used in JSON Lines and on screen.
    public var name: String {
        switch self {
        case .client: "client"
        case .server: "server"
        case .proxy: "proxy"
        }
    }

    /// Parses ``name``.
    public init?(name: String) {
        switch name {
        case "client": self = .client
        case "server": self = .server
        case "proxy": self = .proxy
        default: return nil
        }
    }
}

/// One HTTP header line, kept in order and with its original spelling.
public struct HeaderField: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
