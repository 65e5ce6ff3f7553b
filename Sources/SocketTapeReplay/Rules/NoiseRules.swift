/// Values known to differ from run to run (timestamps, generated ids), by message shape: what
/// `--learn-noise` found (``NoiseLearner``) and later runs leave out of their comparisons.
///
/// Each shape (``MessageShape``) has its own pointer patterns, so a `ts` that changes in one
/// event hides nothing in another. Saved as a noise file (``fileText``, docs/replay.md).
public struct NoiseRules: Sendable, Equatable {
    /// The patterns of each shape.
    public private(set) var patterns: [MessageShape: Set<PointerPattern>] = [:]

    public init() {}

    /// Marks the values `pattern` names as noise in messages of `shape`.
    public mutating func insert(_ pattern: PointerPattern, for shape: MessageShape) {
        patterns[shape, default: []].insert(pattern)
    }

    /// Adds every pattern of `other`.
    public mutating func formUnion(_ other: NoiseRules) {
        patterns.merge(other.patterns) { $0.union($1) }
    }

    /// Whether a difference at `path` in a message of `shape` is noise.
    public func covers(_ path: JSONPath, in shape: MessageShape) -> Bool {
        patterns[shape]?.contains { $0.covers(path) } ?? false
    }
}
