import NIOCore
import SocketTapeTape

/// Plays one ``ReplayScript`` over one ``ReplayConnection``, on the connection's event loop.
///
/// Client messages go out as ``ReplayOptions/pacing`` says. Once all are sent, the replayer waits
/// for the server messages still expected (up to ``ReplayOptions/settle``), then ends the session
/// the way the recording did: with the client's close code, or by waiting (the same time) for the
/// server to close, and closing with 1000 if it does not.
final class SessionReplayer: ReplayConnectionDelegate, @unchecked Sendable {
    let script: ReplayScript
    private let options: ReplayOptions
    /// Causal pacing's view of the whole run (nil with other pacings).
    private let clock: CausalClock?
    /// Captured values (nil without `--capture`), and what this session learns them from.
    private let captures: SessionCaptures?
    private let eventLoop: any EventLoop
    private let promise: EventLoopPromise<SessionOutcome>
    private var connection: (any ReplayConnection)?
    private var outcome: SessionOutcome
    private var startedAt = NIODeadline.now()
    private var openedAt: NIODeadline?
    private var next = 0
    /// The pending wake-up of the pacing (a recorded offset, a causal timeout, the settle time).
    private var timer: Scheduled<Void>?
    /// Since when causal pacing has waited for outgoing[next]'s server messages.
    private var waitingSince: NIODeadline?
    private var closing = false
    private var finished = false
    /// Load mode: hears every step; received messages are then counted, not kept.
    private let observer: (any SessionObserver)?
    private var receivedCount = 0

    init(
        script: ReplayScript, options: ReplayOptions, clock: CausalClock?, captures: CaptureBook?, eventLoop: any EventLoop,
        observer: (any SessionObserver)? = nil
    ) {
        self.observer = observer
        self.script = script
        self.options = options
        self.clock = clock
        self.captures = captures.map { SessionCaptures(book: $0, script: script) }
        self.eventLoop = eventLoop
        self.promise = eventLoop.makePromise()
        self.outcome = SessionOutcome(session: script.session)
    }

    /// The outcome, once the session has ended.
    var result: EventLoopFuture<SessionOutcome> { promise.futureResult }

    /// Opens the connection `connect` makes (which reports to this replayer) and starts the play.
    func start(_ connect: (SessionReplayer) -> any ReplayConnection) {
        startedAt = .now()
        connection = connect(self)
        schedule(at: startedAt + options.connectTimeout) { replayer in
            guard replayer.openedAt == nil else { return }
            replayer.fail("no handshake within \(replayer.options.connectTimeout.nanoseconds / 1_000_000_000) s")
        }
    }

    /// Ends the session now (the run's timeout), from any thread.
    func eventLoopAbort(_ reason: String) {
        eventLoop.execute { self.fail(reason) }
    }

    /// Ends the session now with 1000, or gives up its connection attempt (a load test's
    /// `--duration`). Call on the session's event loop.
    func stop() {
        if openedAt == nil { fail("stopped before the handshake completed") } else { close(code: 1000, reason: "") }
    }

    // MARK: ReplayConnectionDelegate

    func connectionConnected(at time: NIODeadline) {
        observer?.sessionConnected(at: time)
    }

    func connectionOpened(at time: NIODeadline, openPacket: ReplayMessage?) {
        guard !finished else { return }
        openedAt = time
        outcome.openPacket = openPacket
        if let openPacket { captures?.received(openPacket) }
        outcome.handshakeNanos = UInt64(max(0, (time - startedAt).nanoseconds))
        observer?.sessionOpened(at: time)
        timer?.cancel()
        pump()
    }

    func connectionReceived(_ message: ReplayMessage, at time: NIODeadline) {
        guard !finished else { return }
        receivedCount += 1
        if let observer {
            observer.sessionReceived(message, at: time)
        } else {
            outcome.received.append((message, UInt64(max(0, (time - startedAt).nanoseconds))))
        }
        clock?.arrived(script.session)
        captures?.received(message)
        if next < script.outgoing.count {
            if let clock, clock.mayGo(script.session, outgoing: next) { pump() }
        } else if !closing, receivedCount >= script.expected.count {
            end()
        }
    }

    func connectionClosed(code: UInt16?, reason: String, error: String?) {
        guard !finished else { return }
        if outcome.closedBy == nil {
            outcome.closedBy = closing ? .client : .server
            outcome.closeCode = code
        }
        // The first error says what went wrong (a handshake timeout, not the cancel it caused).
        if let error, outcome.error == nil, openedAt == nil || !closing { outcome.error = error }
        finish()
    }

    // MARK: Pacing

    /// Sends every client message that is due, then waits for the next one's time or cause.
    private func pump() {
        // Closing: a wake-up NIO had already taken off its queue when the close cancelled it must
        // not send (the connection would drop the message).
        guard !finished, !closing, let openedAt, let connection else { return }
        timer?.cancel()
        while next < script.outgoing.count {
            let item = script.outgoing[next]
            switch options.pacing {
            case .asap:
                break
            case .recorded:
                let due = startedAt + options.scaled(item.offset)
                if due > .now() {
                    schedule(at: max(due, openedAt)) { $0.pump() }
                    return
                }
            case .causal:
                if let clock, !clock.mayGo(script.session, outgoing: next) {
                    let since = waitingSince ?? .now()
                    waitingSince = since
                    let deadline = since + options.causalTimeout
                    if deadline > .now() {
                        // Its own answers wake a session; other sessions' do not: then look again shortly.
                        schedule(at: clock.spansSessions ? min(deadline, .now() + Self.causalRecheck) : deadline) { $0.pump() }
                        return
                    }
                    clock.giveUp(script.session, outgoing: next)
                    outcome.notes.append(
                        "message \(next + 1) sent after waiting \(options.causalTimeout.nanoseconds / 1_000_000) ms "
                            + "for server messages that came before it on the tape")
                }
            }
            waitingSince = nil
            connection.send(captures?.book.apply(to: item.message) ?? item.message)
            outcome.sent += 1
            observer?.sessionSent(outgoing: next, at: .now(), due: recordedDue(of: item, openedAt: openedAt))
            next += 1
        }
        if receivedCount >= script.expected.count {
            end()
        } else {
            schedule(at: .now() + options.settle) { $0.end() }
        }
    }

    /// When `recorded` pacing means `item` to go (not before the handshake); nil with the other pacings.
    private func recordedDue(of item: ReplayScript.Outgoing, openedAt: NIODeadline) -> NIODeadline? {
        options.pacing == .recorded ? max(startedAt + options.scaled(item.offset), openedAt) : nil
    }

    /// Ends the session as the recording did.
    private func end() {
        guard !finished, !closing else { return }
        timer?.cancel()
        if let recorded = script.end, recorded.by == .client {
            close(code: recorded.code, reason: recorded.reason)
        } else {
            // The server ended it (or the tape does not say): give it the settle time to do so.
            schedule(at: .now() + options.settle) { $0.close(code: 1000, reason: "") }
        }
    }

    private func close(code: UInt16?, reason: String) {
        guard !finished, !closing else { return }
        closing = true
        outcome.closedBy = .client
        outcome.closeCode = code
        connection?.close(code: code, reason: reason)
        schedule(at: .now() + options.settle) { $0.finish() }
    }

    private func fail(_ reason: String) {
        guard !finished else { return }
        outcome.error = reason
        connection?.close(code: 1001, reason: "replay ended")
        finish()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        clock?.ended(script.session)
        timer?.cancel()
        connection = nil
        promise.succeed(outcome)
    }

    /// How often a causal wait looks at the other sessions' progress.
    private static let causalRecheck = TimeAmount.milliseconds(2)

    private func schedule(at deadline: NIODeadline, _ body: @escaping (SessionReplayer) -> Void) {
        timer?.cancel()
        // A fired timer is forgotten, so that cancelling it later costs nothing (NIO looks for a
        // cancelled task through all scheduled tasks of the loop: thousands in a load test).
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            body(self)
        }
    }
}
