import NIOCore

/// The sessions of a load test on one event loop, and what they measure; used on that loop only.
///
/// Each instance starts at its time and, with `--loop`, again each time it ends, until the run
/// stops. ``done`` succeeds once every instance of the loop has ended for good.
final class LoadLoop {
    let eventLoop: any EventLoop
    let metrics = LoadMetrics()
    /// Succeeds when every instance has ended and will not start again.
    let done: EventLoopPromise<Void>
    private let context: LoadContext
    private var running: [ObjectIdentifier: SessionReplayer] = [:]
    /// Starts waiting for their time, by a key of their own.
    private var waiting: [Int: Scheduled<Void>] = [:]
    private var nextKey = 0
    /// Instances not yet ended for good.
    private var outstanding = 0
    /// The run has stopped: nothing starts any more.
    private var stopped = false
    private var finished = false

    init(eventLoop: any EventLoop, context: LoadContext) {
        self.eventLoop = eventLoop
        self.context = context
        done = eventLoop.makePromise()
    }

    /// Takes on `instances`, each to start at `start` plus its delay.
    func run(_ instances: [LoadInstance], from start: NIODeadline) {
        outstanding = instances.count
        for instance in instances { schedule(instance, at: start + instance.delay) }
        finishIfDone()
    }

    /// Starts nothing more and closes the sessions still going with 1000.
    func stop() {
        guard !stopped else { return }
        stopped = true
        for start in waiting.values { start.cancel() }
        outstanding -= waiting.count
        waiting = [:]
        for replayer in Array(running.values) { replayer.stop() }
        finishIfDone()
    }

    /// Ends the sessions still going with an error.
    func abort(_ reason: String) {
        stop()
        for replayer in Array(running.values) { replayer.eventLoopAbort(reason) }
    }

    private func schedule(_ instance: LoadInstance, at deadline: NIODeadline) {
        let key = nextKey
        nextKey += 1
        waiting[key] = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            // A start NIO had already taken off its queue when stop() cancelled it still runs:
            // stop() has written it off, so it must not start a session after the end.
            guard !stopped else { return }
            waiting[key] = nil
            start(instance)
        }
    }

    private func start(_ instance: LoadInstance) {
        let prepared = context.scripts[instance.script]
        let identity = CloneIdentity(clone: instance.clone, session: prepared.script.session)
        let script = prepared.instance(identity, auth: context.auth(for: instance.clone))
        let replayer = SessionReplayer(
            script: script, options: context.options, clock: context.clock(for: script), captures: context.captureBook(),
            eventLoop: eventLoop, observer: LoadSessionProbe(script: script, acks: prepared.acks, metrics: metrics)
        )
        let key = ObjectIdentifier(replayer)
        running[key] = replayer
        metrics.sample.counts.started += 1
        let connector = context.connector
        let options = context.webSocketOptions(for: identity)
        replayer.start { [eventLoop] delegate in
            ReplayRun.connect(script, using: connector, options: options, on: eventLoop, delegate: delegate)
        }
        replayer.result.assumeIsolated().whenSuccess { [self] outcome in
            running[key] = nil
            count(outcome)
            if context.load.loop, !stopped {
                schedule(instance, at: .now() + (outcome.error == nil ? .zero : context.load.retryDelay))
            } else {
                outstanding -= 1
                finishIfDone()
            }
        }
    }

    /// Counts how a session ended: sessions the run stopped are not errors, whatever their end.
    private func count(_ outcome: SessionOutcome) {
        if stopped {
            metrics.sample.counts.stopped += 1
        } else if let error = outcome.error {
            metrics.sample.counts.failed += 1
            let kind = LoadErrorKind.of(error)
            metrics.sample.counts.errors[kind, default: 0] += 1
            if metrics.sample.counts.errorExamples[kind] == nil { metrics.sample.counts.errorExamples[kind] = error }
        } else {
            metrics.sample.counts.completed += 1
        }
        metrics.sample.counts.closeCodes[outcome.closeCode.map(String.init) ?? "none", default: 0] += 1
    }

    private func finishIfDone() {
        guard outstanding == 0, !finished else { return }
        finished = true
        done.succeed()
    }
}
