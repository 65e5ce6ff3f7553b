import NIOCore
import SocketTapeWire

/// How a load test runs: `replay --clients`, `--ramp-up`, `--duration`, `--loop`, `--shard` and
/// `--auth-list` (see ``LoadRun``). Pacing and speed are the replay's own ``ReplayOptions``.
public struct LoadOptions: Sendable {
    /// Copies of each session (`--clients N`).
    public var clients = 1
    /// Clone `k` of `clients` starts `k / clients` of this after its session's recorded start (`--ramp-up`).
    public var rampUp: TimeAmount = .zero
    /// When the run stops (`--duration`): sessions still going close with 1000 and count as
    /// stopped, not failed. Nil: the run ends when every session has.
    public var duration: TimeAmount?
    /// Start each session again when it ends, until ``duration`` (`--loop`).
    public var loop = false
    /// This machine's part of the instances (`--shard i/n`); nil: all of them.
    public var shard: LoadShard?
    /// Socket.IO CONNECT auth payloads, one per clone in turn: clone `k` sends entry `k mod count`
    /// (`--auth-list FILE`). Empty: the plan's own (or `--auth`).
    public var authList: [JSONValue] = []
    /// How long `--loop` waits before starting a session that failed again, so that an
    /// unreachable target does not become a storm of connection attempts.
    public var retryDelay: TimeAmount = .seconds(1)

    public init() {}
}
