import NIOCore
import SocketTapeTape
import SocketTapeWire

/// The sessions of a tape that can be replayed, in the order they opened, and those that cannot,
/// with why.
public struct ReplayPlan: Sendable {
    public var scripts: [ReplayScript]
    public var skipped: [Skipped]

    /// A recorded session left out of the replay.
    public struct Skipped: Sendable, Equatable {
        public var session: String
        public var reason: String
    }

    /// Reads every record of a tape (in tape order) into scripts.
    public init(records: some Sequence<TapeRecord>) {
        var builder = ReplayPlanBuilder()
        for record in records { builder.add(record) }
        self = builder.finish()
    }

    init(scripts: [ReplayScript], skipped: [Skipped]) {
        self.scripts = scripts
        self.skipped = skipped
    }

    /// When each script's session starts, from the run's start: its recorded offset from the
    /// first session's start, divided by ``ReplayOptions/speed``; at once with `asap` pacing.
    func startDelays(_ options: ReplayOptions) -> [TimeAmount] {
        let first = scripts.map(\.start).min() ?? 0
        return scripts.map { options.pacing == .asap ? .zero : options.scaled($0.start - first) }
    }

    /// The plan with only the sessions named in `sessions` (when given) and those with a message
    /// containing `grep` (when given), in either direction.
    public func selecting(sessions: Set<String>?, grep: String?) -> ReplayPlan {
        var plan = self
        plan.scripts = scripts.filter { script in
            if let sessions, !sessions.contains(script.session) { return false }
            guard let grep else { return true }
            return script.outgoing.contains { $0.message.text.contains(grep) }
                || script.expected.contains { $0.message.text.contains(grep) }
        }
        return plan
    }
}
