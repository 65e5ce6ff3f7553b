/// One session as two runs against the same target received it, for ``NoiseLearner``.
public struct NoiseSample: Sendable {
    /// The session id on the tape.
    public var session: String
    /// What the target sent in the first run, and in the second.
    public var first: [ObservedMessage]
    public var second: [ObservedMessage]

    public init(session: String, first: [ObservedMessage], second: [ObservedMessage]) {
        self.session = session
        self.first = first
        self.second = second
    }
}

/// What `--learn-noise` found.
public struct LearnedNoise: Sendable, Equatable {
    /// The values that differed between the runs, by message shape.
    public var rules = NoiseRules()
    /// Differences with no place inside the message to name (a whole text or binary message, a
    /// message of another kind): they cannot become noise; a `regex:` ignore rule can mask text.
    public var unstructured = 0
    /// Messages only one of the runs received.
    public var unpaired = 0
}

/// Learns noise the way Keploy does: replay the same sessions twice against the same target,
/// and whatever differs between the two runs is noise (timestamps, generated ids).
///
/// The two runs are compared as a replay compares the target with the tape: messages lined up by
/// shape, the second run's ids mapped onto the first's (so ids are not taken for noise, and a
/// message naming the wrong client is still a difference), no ignore rules. Each difference's path
/// becomes a noise pattern for the message's shape, with array indexes turned into `*` where two
/// or more paths differ only in that index (`/items/0/id` and `/items/3/id` → `/items/*/id`), and
/// patterns inside another one dropped.
public enum NoiseLearner {
    public static func learn(_ samples: [NoiseSample], captures: [PointerPattern] = [], maxEditDistance: Int = 2000) -> LearnedNoise {
        let observations = samples.map { SessionObservation(session: $0.session, expected: $0.first, actual: $0.second) }
        let run = RunAlignment(observations, captures: captures, identifiers: IdentifierMap(), maxEditDistance: maxEditDistance)
        let rules = ComparisonRules(captures: captures)
        var learned = LearnedNoise()
        var paths: [MessageShape: Set<JSONPath>] = [:]
        for session in run.sessions {
            for step in session.steps {
                guard case .paired(let left, let right) = step else {
                    learned.unpaired += 1
                    continue
                }
                let expected = session.expected[left]
                for difference in rules.compare(expected: expected, actual: session.actual[right], identifiers: run.identifiers).differences {
                    if difference.path.tokens.isEmpty {
                        learned.unstructured += 1
                    } else {
                        paths[expected.shape, default: []].insert(difference.path)
                    }
                }
            }
        }
        for (shape, shapePaths) in paths {
            for pattern in generalize(shapePaths) { learned.rules.insert(pattern, for: shape) }
        }
        return learned
    }

    /// A pattern token that remembers whether it stands for an array index.
    private struct Step: Hashable {
        var token: PointerPattern.Token
        var isArrayIndex: Bool
    }

    /// The patterns for a set of differing paths (see the type's description).
    static func generalize(_ paths: Set<JSONPath>) -> [PointerPattern] {
        var current = Set(paths.map { path in path.tokens.map { Step(token: .name($0.name), isArrayIndex: $0.isArrayIndex) } })
        let depth = current.map(\.count).max() ?? 0
        for position in 0..<depth {
            func wildcarded(_ steps: [Step]) -> [Step]? {
                guard position < steps.count, steps[position].isArrayIndex else { return nil }
                var key = steps
                key[position].token = .wildcard
                return key
            }
            var indexes: [[Step]: Int] = [:]
            for steps in current {
                if let key = wildcarded(steps) { indexes[key, default: 0] += 1 }
            }
            current = Set(current.map { steps in wildcarded(steps).flatMap { indexes[$0, default: 0] >= 2 ? $0 : nil } ?? steps })
        }
        let patterns = current.map { PointerPattern($0.map(\.token)) }
        return patterns.filter { pattern in !patterns.contains { $0 != pattern && $0.covers(pattern) } }.sorted()
    }
}
