/// One session of a replay run: what the server sent on the tape, and what the target sent
/// when the session was replayed.
public struct SessionObservation: Sendable {
    /// The session id on the tape.
    public var session: String
    /// The recorded server messages, in order (``ReplayScript/recordedMessages``).
    public var expected: [ObservedMessage]
    /// The messages the target sent to the replaying client, in order, decoded by an
    /// ``ObservedMessageDecoder`` for the session's protocol.
    public var actual: [ObservedMessage]
    /// Why the session could not be replayed to its end (connection refused, handshake failed,
    /// timed out), when it could not; what was received until then is compared all the same.
    public var error: String?

    public init(session: String, expected: [ObservedMessage], actual: [ObservedMessage], error: String? = nil) {
        self.session = session
        self.expected = expected
        self.actual = actual
        self.error = error
    }
}

/// The sessions of a run lined up message by message, and the ids learned from all of them.
///
/// Ids are learned from every session before any message is compared, so a message may name a
/// client whose session comes later in the run.
struct RunAlignment {
    struct Session {
        var session: String
        var error: String?
        /// The compared messages only (``ObservedMessage/isCompared``).
        var expected: [ObservedMessage]
        var actual: [ObservedMessage]
        var steps: [AlignmentStep]
    }

    var sessions: [Session]
    var identifiers: IdentifierMap

    init(_ observations: [SessionObservation], captures: [PointerPattern], identifiers: IdentifierMap, maxEditDistance: Int) {
        var identifiers = identifiers
        sessions = observations.map { observation in
            let expected = observation.expected.filter(\.isCompared)
            let actual = observation.actual.filter(\.isCompared)
            let steps = SessionAligner.align(expected: expected.map(\.shape), actual: actual.map(\.shape), maxEditDistance: maxEditDistance)
            for case .paired(let left, let right) in steps {
                identifiers.learn(expected: expected[left], actual: actual[right], captures: captures)
            }
            return Session(session: observation.session, error: observation.error, expected: expected, actual: actual, steps: steps)
        }
        self.identifiers = identifiers
    }
}
