/// Comparing one received message with its recording.
extension ComparisonRules {
    /// Compares a received message with the recorded one it lines up with.
    ///
    /// The recorded message gets the replay's ids first (`identifiers`), then both have their
    /// ignored text masked; of the differences found (``ContentDiffer``), those at ignored
    /// pointers or noise of the recorded message's shape are counted, not returned.
    public func compare(expected: ObservedMessage, actual: ObservedMessage, identifiers: IdentifierMap) -> MessageComparison {
        let left = masking(identifiers.applied(to: expected.content))
        let right = masking(actual.content)
        let shape = expected.shape
        var comparison = MessageComparison()
        for difference in ContentDiffer.differences(left, right) {
            if ignores(difference.path, in: shape) {
                comparison.ignored += 1
            } else {
                comparison.differences.append(difference)
            }
        }
        return comparison
    }
}

/// The outcome of comparing one received message with its recording.
public struct MessageComparison: Sendable, Equatable {
    /// What differs, in document order.
    public var differences: [Difference] = []
    /// How many differences ignore rules and noise left out.
    public var ignored = 0

    public var isEqual: Bool { differences.isEmpty }
}
