/// A load test as it stands after one more second: for a progress line.
public struct LoadProgress: Sendable {
    /// The second that just ended, from the run's start (0-based).
    public var second: Int
    /// Everything so far.
    public var total: LoadCounts
    /// This second alone.
    public var last: LoadCounts
    /// This second's round trips.
    public var roundTrips: LoadHistogram

    /// Sessions going now.
    public var open: Int { total.started - total.ended }
}
