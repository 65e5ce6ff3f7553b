/// One second of a load test's timeline: what happened in `[second, second + 1)` from the start.
public struct LoadSecond: Sendable, Equatable {
    /// Whole seconds from the run's start.
    public var second: Int
    public var counts: LoadCounts
    /// The round trips that ended in this second and the pacing errors of its messages (2
    /// significant digits), kept as buckets: a long run keeps these for every second.
    public var roundTripBuckets: [LoadHistogram.Bucket]
    public var pacingErrorBuckets: [LoadHistogram.Bucket]

    public init(second: Int, counts: LoadCounts, roundTrips: LoadHistogram, pacingErrors: LoadHistogram) {
        self.second = second
        self.counts = counts
        roundTripBuckets = roundTrips.buckets
        pacingErrorBuckets = pacingErrors.buckets
    }

    /// This second's round trips.
    public var roundTrips: LoadHistogram {
        LoadHistogram(digits: 2, buckets: roundTripBuckets)
    }

    /// This second's pacing errors.
    public var pacingErrors: LoadHistogram {
        LoadHistogram(digits: 2, buckets: pacingErrorBuckets)
    }

    /// Adds another measurement of the same second (another machine's, or a late one).
    mutating func add(_ other: LoadSecond) {
        counts.add(other.counts)
        var roundTrips = self.roundTrips
        roundTrips.add(other.roundTrips)
        roundTripBuckets = roundTrips.buckets
        var pacingErrors = self.pacingErrors
        pacingErrors.add(other.pacingErrors)
        pacingErrorBuckets = pacingErrors.buckets
    }
}

extension [LoadSecond] {
    /// Adds `entry` at its second: merged into the entry of that second, or inserted in order.
    mutating func insert(_ entry: LoadSecond) {
        if let index = lastIndex(where: { $0.second <= entry.second }) {
            if self[index].second == entry.second {
                self[index].add(entry)
            } else {
                insert(entry, at: index + 1)
            }
        } else {
            insert(entry, at: 0)
        }
    }
}
