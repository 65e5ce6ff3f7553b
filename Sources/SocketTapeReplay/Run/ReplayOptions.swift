import NIOCore

/// How a replay runs (the `replay` command's flags).
public struct ReplayOptions: Sendable {
    public var pacing: ReplayPacing = .causal
    /// `--speed X`: recorded gaps (between messages and between session starts) divided by X.
    public var speed: Double = 1
    /// How long causal pacing waits for the server messages that preceded a client message
    /// before sending it anyway (the report notes each such wait).
    public var causalTimeout: TimeAmount = .seconds(5)
    /// After the last client message, how long to wait for server messages still expected.
    public var settle: TimeAmount = .seconds(2)
    /// Connect plus handshake, per session.
    public var connectTimeout: TimeAmount = .seconds(10)
    /// The whole run: sessions still going are ended and reported as timed out.
    public var timeout: TimeAmount = .seconds(300)

    public init() {}

    /// A recorded duration as the replay waits it: divided by ``speed``.
    func scaled(_ nanoseconds: UInt64) -> TimeAmount {
        .nanoseconds(Int64(min(Double(nanoseconds) / speed, Double(Int64.max / 2))))
    }
}
