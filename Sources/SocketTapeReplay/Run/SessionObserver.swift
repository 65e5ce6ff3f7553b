import NIOCore

/// Hears the steps of one ``SessionReplayer`` as they happen, on the session's event loop: what a
/// load test measures. A replayer with an observer counts the server's messages instead of
/// keeping them in its ``SessionOutcome`` (``SessionOutcome/received`` stays empty), so memory
/// does not grow with the messages of a long run.
protocol SessionObserver: AnyObject {
    /// The session's first TCP connection is up.
    func sessionConnected(at time: NIODeadline)
    /// The handshake succeeded.
    func sessionOpened(at time: NIODeadline)
    /// The script's outgoing message `index` went to the connection at `time`; `due` is when
    /// `recorded` pacing meant it to go (nil with the other pacings).
    func sessionSent(outgoing index: Int, at time: NIODeadline, due: NIODeadline?)
    /// A server data message arrived.
    func sessionReceived(_ message: ReplayMessage, at time: NIODeadline)
}
