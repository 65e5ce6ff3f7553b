import Histogram

/// A distribution of durations in microseconds: an HdrHistogram (hdrhistogram-swift) that grows
/// to the largest value recorded, keeping each value within its precision — 3 significant
/// digits (0.1 %) for a run's totals, 2 (1 %) for each second of the timeline.
///
/// Its ``buckets`` (each non-empty bucket's highest value and count) and ``max`` are what reports
/// store: recording them into an empty histogram of the same precision gives this one back
/// exactly, so the histograms of shards merge as if one machine had recorded everything.
public struct LoadHistogram: Sendable, Equatable {
    /// One non-empty bucket: its highest value (µs) and how many values fell in it.
    public struct Bucket: Sendable, Equatable {
        public var value: UInt64
        public var count: UInt64

        public init(value: UInt64, count: UInt64) {
            self.value = value
            self.count = count
        }
    }

    private var histogram: Histogram<UInt64>

    /// An empty histogram keeping `digits` significant digits (2 or 3).
    public init(digits: Int = 3) {
        histogram = Histogram(numberOfSignificantValueDigits: digits == 2 ? .two : .three)
    }

    /// A histogram with these buckets, as ``buckets`` gave them, and (when known) the exact
    /// largest value, which lies in the last bucket: percentiles never exceed it.
    public init(digits: Int = 3, buckets: [Bucket], max: UInt64? = nil) {
        self.init(digits: digits)
        for (index, bucket) in buckets.enumerated() where bucket.count > 0 {
            let top = index == buckets.count - 1 ? max.map { Swift.min($0, bucket.value) } : nil
            histogram.record(top ?? bucket.value, count: bucket.count)
        }
    }

    /// 2 or 3.
    public var digits: Int { Int(histogram.numberOfSignificantValueDigits.rawValue) }

    /// Records a duration given in nanoseconds (negative ones as 0).
    mutating func record(nanoseconds: Int64) {
        histogram.record(UInt64(Swift.max(0, nanoseconds)) / 1000)
    }

    /// Adds the values of `other`; the result keeps this histogram's precision.
    public mutating func add(_ other: LoadHistogram) {
        if other.digits == digits {
            histogram.add(other.histogram)
        } else {
            for bucket in other.buckets { histogram.record(bucket.value, count: bucket.count) }
        }
    }

    /// How many values were recorded.
    public var count: UInt64 { histogram.totalCount }

    /// The value at `percentile` (0–100), µs; 0 when empty.
    public func percentile(_ percentile: Double) -> UInt64 {
        histogram.valueAtPercentile(percentile)
    }

    /// The largest value, µs; 0 when empty.
    public var max: UInt64 { count == 0 ? 0 : histogram.maxRecorded }

    /// The mean, µs; 0 when empty.
    public var mean: Double { count == 0 ? 0 : histogram.mean }

    /// The non-empty buckets, lowest first.
    public var buckets: [Bucket] {
        histogram.recordedValues().map { Bucket(value: $0.value, count: UInt64($0.count)) }
    }

    public static func == (lhs: LoadHistogram, rhs: LoadHistogram) -> Bool {
        lhs.digits == rhs.digits && lhs.buckets == rhs.buckets && lhs.max == rhs.max
    }
}
