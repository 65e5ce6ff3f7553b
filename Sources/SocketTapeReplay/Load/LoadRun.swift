import NIOConcurrencyHelpers
import NIOCore
import SocketTapeTape

/// A load test: the plan's sessions cloned (`--clients`), started on schedule (recorded offsets
/// and `--ramp-up`), started again when they end (`--loop`), stopped at `--duration`, and
/// measured (connect and handshake times, round trips, pacing error, messages, bytes, errors,
/// close codes).
///
/// Each instance is its own ``SessionReplayer`` and connection, on one of the group's event loops
/// (``LoadLoop``), measured into that loop's ``LoadMetrics`` without locks; once a second the run
/// takes every loop's measurements, adds them to the timeline and reports progress. Received
/// messages are counted, not kept, so memory does not grow with the length of the run.
public final class LoadRun: Sendable {
    private let context: LoadContext
    private let instances: [LoadInstance]
    private let loops = NIOLockedValueBox<[NIOLoopBound<LoadLoop>]>([])
    private let stopRequested = NIOLockedValueBox(false)

    /// Plans the run of `job`'s sessions.
    ///
    /// - Throws: ``ReplayConfigurationError`` when a `--header` value with a placeholder does not
    ///   make a valid header for one of the sessions.
    public init(job: ReplayJob, load: LoadOptions) throws(ReplayConfigurationError) {
        context = try LoadContext(job: job, load: load)
        instances = LoadInstance.schedule(job.plan, options: job.options, load: load)
    }

    /// Runs the test; `progress` hears how it stands after each second, on an event loop.
    public func run(on group: any EventLoopGroup, progress: @escaping @Sendable (LoadProgress) -> Void) async throws -> LoadReport {
        let context = self.context
        let all = Array(group.makeIterator())
        let bound = try await EventLoopFuture.whenAllSucceed(all.map { loop in
            loop.submit { NIOLoopBound(LoadLoop(eventLoop: loop, context: context), eventLoop: loop) }
        }, on: all[0]).get()
        loops.withLockedValue { $0 = bound }
        let started = TapeClock()
        let start = NIODeadline.now()
        for (index, loop) in bound.enumerated() {
            let mine = stride(from: index, to: instances.count, by: bound.count).map { instances[$0] }
            loop.eventLoop.execute { loop.value.run(mine, from: start) }
        }
        if stopRequested.withLockedValue({ $0 }) { stop() }
        let ticker = bound[0].eventLoop
        let tally = NIOLockedValueBox(LoadTally())
        let ticks = tick(second: 0, start: start, on: ticker, tally: tally, progress: progress)
        let limit = limitRun(from: start, on: ticker)
        try await EventLoopFuture.andAllSucceed(bound.map(\.done), on: ticker).get()
        limit.cancel()
        let elapsed = NIODeadline.now() - start
        // On the ticker's loop no tick runs meanwhile: stop them, let the last one's collection
        // finish, then take what remains.
        let last = try await ticker.flatSubmit {
            let pending = ticks.withLockedValue { ticks in
                ticks.ended = true
                ticks.next?.cancel()
                return ticks.collecting
            }
            return (pending ?? ticker.makeSucceededVoidFuture()).flatMap { self.collect(bound, on: ticker) }
        }.get()
        return tally.withLockedValue { tally in
            _ = tally.add(second: Int(elapsed.nanoseconds / 1_000_000_000), last)
            return report(tally, startedAt: started.startWallMicros, elapsed: elapsed)
        }
    }

    /// Stops the run as `--duration` does, from any thread: nothing more starts, sessions still
    /// going close with 1000 (and count as stopped); those that have not closed after the settle
    /// and close times end with an error.
    public func stop() {
        stopRequested.withLockedValue { $0 = true }
        let loops = self.loops.withLockedValue { $0 }
        guard let first = loops.first else { return }
        for loop in loops { loop.eventLoop.execute { loop.value.stop() } }
        let grace = context.options.settle + .seconds(6)
        first.eventLoop.scheduleTask(in: grace) {
            for loop in loops { loop.eventLoop.execute { loop.value.abort("did not close within \(grace.nanoseconds / 1_000_000_000) s of the end of the run") } }
        }
    }

    /// `--duration` stops the run; without it, `--timeout` ends what still runs with an error.
    private func limitRun(from start: NIODeadline, on loop: any EventLoop) -> Scheduled<Void> {
        if let duration = context.load.duration {
            return loop.scheduleTask(deadline: start + duration) { self.stop() }
        }
        let timeout = context.options.timeout
        return loop.scheduleTask(deadline: start + timeout) {
            let reason = "the replay's --timeout of \(timeout.nanoseconds / 1_000_000_000) s passed"
            for loop in self.loops.withLockedValue({ $0 }) { loop.eventLoop.execute { loop.value.abort(reason) } }
        }
    }

    /// The once-a-second collection: the next one, and the end of the chain of those still adding up.
    private struct Ticks {
        var next: Scheduled<Void>?
        var collecting: EventLoopFuture<Void>?
        /// The final collection has begun: ticks do nothing any more.
        var ended = false
    }

    /// Once a second, from the start, on `loop`: takes every loop's measurements into the tally.
    private func tick(
        second: Int, start: NIODeadline, on loop: any EventLoop, tally: NIOLockedValueBox<LoadTally>,
        progress: @escaping @Sendable (LoadProgress) -> Void
    ) -> NIOLockedValueBox<Ticks> {
        let ticks = NIOLockedValueBox(Ticks())
        @Sendable func schedule(_ second: Int) {
            let next = loop.scheduleTask(deadline: start + .seconds(Int64(second + 1))) {
                // Each collection follows the one before: on a busy machine one may still be
                // adding up when the next second comes, and the end waits for the whole chain.
                let loops = self.loops.withLockedValue { $0 }
                ticks.withLockedValue { ticks in
                    // A tick NIO had already taken off its queue when the end cancelled it still
                    // runs: it must not take samples the final collection no longer waits for.
                    guard !ticks.ended else { return }
                    let previous = ticks.collecting ?? loop.makeSucceededVoidFuture()
                    ticks.collecting = previous.flatMap { self.collect(loops, on: loop) }.map { samples in
                        progress(tally.withLockedValue { $0.add(second: second, samples) })
                    }
                }
                if !ticks.withLockedValue(\.ended) { schedule(second + 1) }
            }
            ticks.withLockedValue { $0.next = next }
        }
        schedule(second)
        return ticks
    }

    /// Every loop's measurements since the last look.
    private func collect(_ loops: [NIOLoopBound<LoadLoop>], on loop: any EventLoop) -> EventLoopFuture<[LoadSample]> {
        EventLoopFuture.whenAllSucceed(loops.map { bound in bound.eventLoop.submit { bound.value.metrics.take() } }, on: loop)
    }

    private func report(_ tally: LoadTally, startedAt: Int64, elapsed: TimeAmount) -> LoadReport {
        var report = LoadReport()
        report.setup.sessions = context.scripts.count
        report.setup.target = context.connector.target.url
        report.setup.clients = context.load.clients
        report.setup.shards = context.load.shard.map { [$0.description] } ?? []
        report.setup.pacing = context.options.pacing.rawValue
        report.setup.speed = context.options.speed
        report.setup.rampUpMillis = context.load.rampUp.nanoseconds / 1_000_000
        report.setup.durationMillis = context.load.duration.map { $0.nanoseconds / 1_000_000 }
        report.setup.loop = context.load.loop
        report.startedAtMicros = startedAt
        report.elapsedMicros = elapsed.nanoseconds / 1000
        report.counts = tally.totals.counts
        report.connect = tally.totals.connect
        report.handshake = tally.totals.handshake
        report.roundTrip = tally.totals.roundTrip
        report.pacingError = tally.totals.pacingError
        report.timeline = tally.timeline
        return report
    }
}

extension NIOLoopBound<LoadLoop> {
    /// The loop's `done` future, from any thread.
    fileprivate var done: EventLoopFuture<Void> {
        eventLoop.flatSubmit { self.value.done.futureResult }
    }
}
