/// Decides, for a whole replay run, whether the target answered as the recording did.
///
/// The network side replays every session, decodes what the target sends with an
/// ``ObservedMessageDecoder`` and hands each session's recorded and received messages over as a
/// ``SessionObservation``. Then, for each session: the compared messages (Engine.IO pings, pongs,
/// noops and upgrades left out) are lined up by shape (``SessionAligner``); ids are learned from
/// the pairs of all sessions (``IdentifierMap``); each pair is compared under the rules
/// (``ComparisonRules/compare(expected:actual:identifiers:)``).
public struct ReplayComparator: Sendable {
    public var rules: ComparisonRules
    /// See ``SessionAligner``.
    public var maxEditDistance: Int

    public init(rules: ComparisonRules = ComparisonRules(), maxEditDistance: Int = 2000) {
        self.rules = rules
        self.maxEditDistance = maxEditDistance
    }

    /// Compares every session of a run.
    ///
    /// - Parameters:
    ///   - sessions: the run's sessions, in the order the report should list them.
    ///   - identifiers: ids the replaying client already mapped itself; more are learned here.
    public func compare(_ sessions: [SessionObservation], identifiers: IdentifierMap = IdentifierMap()) -> ReplayReport {
        let run = RunAlignment(sessions, captures: rules.captures, identifiers: identifiers, maxEditDistance: maxEditDistance)
        return ReplayReport(sessions: run.sessions.map { report(for: $0, identifiers: run.identifiers) })
    }

    private func report(for session: RunAlignment.Session, identifiers: IdentifierMap) -> SessionReport {
        var findings: [Finding] = []
        var ignored = 0
        for step in session.steps {
            switch step {
            case .paired(let left, let right):
                let comparison = rules.compare(expected: session.expected[left], actual: session.actual[right], identifiers: identifiers)
                ignored += comparison.ignored
                if !comparison.isEqual {
                    findings.append(
                        .differing(
                            expected: MessageReference(session.expected[left], position: left + 1),
                            received: MessageReference(session.actual[right], position: right + 1),
                            differences: comparison.differences
                        )
                    )
                }
            case .missing(let left):
                findings.append(.missing(MessageReference(session.expected[left], position: left + 1)))
            case .unexpected(let right):
                findings.append(.unexpected(MessageReference(session.actual[right], position: right + 1)))
            }
        }
        return SessionReport(
            session: session.session, error: session.error, expected: session.expected.count, received: session.actual.count,
            ignored: ignored, findings: findings
        )
    }
}
