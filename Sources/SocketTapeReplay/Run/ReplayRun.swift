import NIOConcurrencyHelpers
import NIOCore

/// Replays a whole plan: every session on an event loop of `group`, each starting at its recorded
/// offset from the first session's start (scaled by `--speed`; all at once with `asap` pacing), so
/// that sessions that talk to each other replay together.
public struct ReplayRun: Sendable {
    public let plan: ReplayPlan
    public let options: ReplayOptions
    /// Values to capture and put into later client messages (nil: none).
    let captures: CaptureBook?

    /// Makes the connection of one session on an event loop, reporting to the given delegate.
    typealias ConnectionFactory = @Sendable (ReplayScript, any EventLoop, any ReplayConnectionDelegate) -> any ReplayConnection

    init(plan: ReplayPlan, options: ReplayOptions, captures: CaptureBook?) {
        self.plan = plan
        self.options = options
        self.captures = captures
    }

    /// Runs every session against the connector's target: plain WebSocket sessions over a
    /// ``WebSocketReplayConnection``, Socket.io ones over an ``EngineIOReplayConnection``.
    public func run(on group: any EventLoopGroup, using connector: ReplayConnector, options webSocket: WebSocketClientOptions) -> EventLoopFuture<[SessionOutcome]> {
        run(on: group) { script, loop, delegate in
            Self.connect(script, using: connector, options: webSocket, on: loop, delegate: delegate)
        }
    }

    /// The connection of one session: a ``WebSocketReplayConnection`` for plain WebSocket, an
    /// ``EngineIOReplayConnection`` for Socket.io.
    static func connect(
        _ script: ReplayScript, using connector: ReplayConnector, options: WebSocketClientOptions,
        on loop: any EventLoop, delegate: any ReplayConnectionDelegate
    ) -> any ReplayConnection {
        switch script.kind {
        case .webSocket:
            WebSocketReplayConnection.open(script, using: connector, options: options, on: loop, delegate: delegate)
        case .socketIO:
            EngineIOReplayConnection.open(script, using: connector, options: options, on: loop, delegate: delegate)
        }
    }

    /// Runs every session; the future holds their outcomes in plan order once all have ended, or
    /// once ``ReplayOptions/timeout`` has passed (the sessions still going end with an error).
    func run(on group: any EventLoopGroup, connect: @escaping ConnectionFactory) -> EventLoopFuture<[SessionOutcome]> {
        let start = NIODeadline.now()
        let replayers = NIOLockedValueBox<[SessionReplayer]>([])
        let clock = options.pacing == .causal ? CausalClock(plan: plan) : nil
        let futures = zip(plan.scripts, plan.startDelays(options)).map { script, delay -> EventLoopFuture<SessionOutcome> in
            let loop = group.next()
            return loop.flatScheduleTask(deadline: start + delay) { [options, captures] in
                let replayer = SessionReplayer(script: script, options: options, clock: clock, captures: captures, eventLoop: loop)
                replayers.withLockedValue { $0.append(replayer) }
                replayer.start { delegate in connect(script, loop, delegate) }
                return replayer.result
            }.futureResult
        }
        let loop = group.next()
        let timeout = loop.scheduleTask(deadline: start + options.timeout) {
            let seconds = options.timeout.nanoseconds / 1_000_000_000
            for replayer in replayers.withLockedValue({ $0 }) {
                replayer.eventLoopAbort("the replay's --timeout of \(seconds) s passed")
            }
        }
        return EventLoopFuture.whenAllSucceed(futures, on: loop).always { _ in timeout.cancel() }
    }
}
