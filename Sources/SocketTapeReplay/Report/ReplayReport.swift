/// The outcome of a replay run: a report per session, in run order. Rendered for people
/// (``TextReportRenderer``), as JSON (``jsonText``) and as JUnit XML (``JUnitReportRenderer``).
public struct ReplayReport: Sendable, Equatable {
    public var sessions: [SessionReport]

    public init(sessions: [SessionReport]) {
        self.sessions = sessions
    }

    /// Whether every session replayed to its end and the target sent what was recorded.
    public var isEqual: Bool { sessions.allSatisfy { $0.status == .equal } }

    /// The exit status of `sockettape replay`: 0 when equal, 1 when a session differs or could
    /// not be replayed. (2, bad usage or input, is decided before a report exists.)
    public var exitStatus: Int32 { isEqual ? 0 : 1 }

    /// The sums over all sessions.
    public var totals: ReplayTotals {
        var totals = ReplayTotals()
        for session in sessions {
            totals.sessions += 1
            switch session.status {
            case .equal: totals.equalSessions += 1
            case .different: totals.differentSessions += 1
            case .error: totals.errorSessions += 1
            }
            totals.messages.add(session.counts)
        }
        return totals
    }
}

/// The sums of a run (``ReplayReport/totals``).
public struct ReplayTotals: Sendable, Equatable {
    public var sessions = 0
    public var equalSessions = 0
    public var differentSessions = 0
    /// Sessions that could not be replayed to their end.
    public var errorSessions = 0
    /// The message counts of all sessions added up.
    public var messages = MessageCounts()
}

/// Whether a session replayed as recorded.
public enum SessionStatus: String, Sendable, Equatable, CaseIterable {
    /// Every recorded message was received, equal, and nothing else was.
    case equal
    /// A message differs, is missing or is unexpected.
    case different
    /// The session could not be replayed to its end (``SessionReport/error``).
    case error
}

/// How a session's compared messages fared.
public struct MessageCounts: Sendable, Equatable {
    /// Messages recorded (compared ones only: no Engine.IO pings and the like).
    public var expected = 0
    /// Messages received.
    public var received = 0
    /// Recorded messages received equal.
    public var equal = 0
    /// Recorded messages received with differences.
    public var differing = 0
    /// Recorded messages not received.
    public var missing = 0
    /// Received messages not recorded.
    public var unexpected = 0
    /// Differences that ignore rules and noise left out.
    public var ignored = 0

    public init() {}

    mutating func add(_ other: MessageCounts) {
        expected += other.expected
        received += other.received
        equal += other.equal
        differing += other.differing
        missing += other.missing
        unexpected += other.unexpected
        ignored += other.ignored
    }
}

/// The comparison of one session.
public struct SessionReport: Sendable, Equatable {
    /// The session id on the tape.
    public var session: String
    /// Why the session could not be replayed to its end, if it could not.
    public var error: String?
    /// How many compared messages were recorded and received.
    public var expected: Int
    public var received: Int
    /// Differences that ignore rules and noise left out.
    public var ignored: Int
    /// What differs, in the order of the aligned messages.
    public var findings: [Finding]

    public init(session: String, error: String? = nil, expected: Int, received: Int, ignored: Int = 0, findings: [Finding] = []) {
        self.session = session
        self.error = error
        self.expected = expected
        self.received = received
        self.ignored = ignored
        self.findings = findings
    }

    public var status: SessionStatus {
        if error != nil { return .error }
        return findings.isEmpty ? .equal : .different
    }

    /// The counts, derived from the findings.
    public var counts: MessageCounts {
        var counts = MessageCounts()
        counts.expected = expected
        counts.received = received
        counts.ignored = ignored
        for finding in findings {
            switch finding {
            case .differing: counts.differing += 1
            case .missing: counts.missing += 1
            case .unexpected: counts.unexpected += 1
            }
        }
        counts.equal = expected - counts.missing - counts.differing
        return counts
    }
}

/// One thing that differs in a session.
public enum Finding: Sendable, Equatable {
    /// A recorded message was received with differences.
    case differing(expected: MessageReference, received: MessageReference, differences: [Difference])
    /// A recorded message was not received.
    case missing(MessageReference)
    /// A message was received that was not recorded.
    case unexpected(MessageReference)
}

/// Which message a finding is about, with enough to recognise it.
public struct MessageReference: Sendable, Equatable {
    /// 1-based position among the session's compared messages on its side (recorded or received).
    public var position: Int
    /// Its ``MessageShape``.
    public var shape: String
    /// Nanoseconds from the tape's start (recorded) or the replay's start (received), when known.
    public var time: UInt64?
    /// The message in a few dozen characters (``MessageContent/preview``).
    public var preview: String
    /// Why it did not decode as its session's protocol, if it did not.
    public var decodeError: String?

    public init(position: Int, shape: String, time: UInt64? = nil, preview: String, decodeError: String? = nil) {
        self.position = position
        self.shape = shape
        self.time = time
        self.preview = preview
        self.decodeError = decodeError
    }

    init(_ message: ObservedMessage, position: Int) {
        self.init(position: position, shape: message.shape.description, time: message.time, preview: message.content.preview, decodeError: message.decodeError)
    }
}
