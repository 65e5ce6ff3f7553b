/// What a load test counts, for the whole run or one second of it. Counts add up: the totals of
/// several event loops, seconds or machines are their sums.
public struct LoadCounts: Sendable, Equatable {
    /// Sessions started (each `--loop` round counts again), and those whose handshake succeeded.
    public var started = 0
    public var opened = 0
    /// Sessions that ended as recorded (or as the server ended them), without an error.
    public var completed = 0
    /// Sessions still going when the run stopped (`--duration`, Ctrl-C): closed with 1000, not errors.
    public var stopped = 0
    /// Sessions that ended with an error (could not connect, refused, broken off, timed out).
    public var failed = 0
    /// Client data messages handed to the connection, and server data messages received (for
    /// Socket.io: Engine.IO packets of the conversation), with their payload bytes.
    public var sent = 0
    public var received = 0
    public var bytesSent = 0
    public var bytesReceived = 0
    /// Round trips measured exactly (a Socket.IO event answered by its ACK), and by the first
    /// server message after a client message (docs/replay.md, "Round trips").
    public var ackRoundTrips = 0
    public var answerRoundTrips = 0
    /// Failed sessions by kind of error (``LoadErrorKind``).
    public var errors: [String: Int] = [:]
    /// The first error of each kind, as the session reported it.
    public var errorExamples: [String: String] = [:]
    /// Ended sessions by close code (the client's when it closed first, else the server's), or `none`.
    public var closeCodes: [String: Int] = [:]

    public init() {}

    /// Sessions that have ended.
    public var ended: Int { completed + stopped + failed }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: LoadCounts) {
        started += other.started
        opened += other.opened
        completed += other.completed
        stopped += other.stopped
        failed += other.failed
        sent += other.sent
        received += other.received
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        ackRoundTrips += other.ackRoundTrips
        answerRoundTrips += other.answerRoundTrips
        errors.merge(other.errors, uniquingKeysWith: +)
        errorExamples.merge(other.errorExamples) { first, _ in first }
        closeCodes.merge(other.closeCodes, uniquingKeysWith: +)
    }
}
