import NIOConcurrencyHelpers

/// Token buckets keyed by identity and rule. The engine asks one per message; a cluster-wide
/// implementation (an atomic script per key in Redis) can take this one's place.
public protocol RateLimiter: Sendable {
    /// Takes `amount` tokens from the bucket of (`key`, `rule`); false when there are not enough
    /// (then nothing is taken). A bucket seen for the first time is full. `now` in nanoseconds
    /// (monotonic).
    func take(key: String, rule: String, amount: Double, rate: Rate, now: UInt64) -> Bool
}

/// The buckets of one process, behind sharded locks; created on demand.
///
/// **Memory bound.** At most `maxBuckets` buckets are kept (default 65,536; about 100 bytes each
/// plus the key and rule text, so about 10 MB for short keys). When a shard is full, buckets that
/// have refilled completely are evicted first — forgetting them changes nothing, because a new
/// bucket starts full. Only if a shard still has no room (more identities active at once than the
/// bound) is a quarter of it evicted regardless, and those identities start again with full
/// buckets: the bound wins over precision.
public final class LocalRateLimiter: RateLimiter {
    private struct BucketKey: Hashable {
        var key: String
        var rule: String
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
        /// When the bucket is full again if nothing is taken (for eviction).
        var fullAt: UInt64
    }

    private static let shardCount = 16
    private let shards: [NIOLockedValueBox<[BucketKey: Bucket]>]
    private let capacityPerShard: Int

    /// - Parameter maxBuckets: the most buckets kept at once (at least one per shard).
    public init(maxBuckets: Int = 65_536) {
        capacityPerShard = max(1, maxBuckets / Self.shardCount)
        shards = (0..<Self.shardCount).map { _ in NIOLockedValueBox([:]) }
    }

    /// How many buckets exist now.
    public var bucketCount: Int {
        shards.reduce(0) { $0 + $1.withLockedValue { $0.count } }
    }

    public func take(key: String, rule: String, amount: Double, rate: Rate, now: UInt64) -> Bool {
        let bucketKey = BucketKey(key: key, rule: rule)
        var hasher = Hasher()
        hasher.combine(bucketKey)
        let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(Self.shardCount))]
        let capacity = capacityPerShard
        return shard.withLockedValue { buckets in
            if let index = buckets.index(forKey: bucketKey) {
                return Self.take(&buckets.values[index], amount: amount, rate: rate, now: now)
            }
            if buckets.count >= capacity {
                Self.evict(&buckets, capacity: capacity, now: now)
            }
            var bucket = Bucket(tokens: rate.burst, updated: now, fullAt: now)
            let taken = Self.take(&bucket, amount: amount, rate: rate, now: now)
            buckets[bucketKey] = bucket
            return taken
        }
    }

    private static func take(_ bucket: inout Bucket, amount: Double, rate: Rate, now: UInt64) -> Bool {
        if now > bucket.updated {
            let refill = Double(now - bucket.updated) * rate.perSecond / 1e9
            bucket.tokens = min(rate.burst, bucket.tokens + refill)
            bucket.updated = now
        }
        guard bucket.tokens >= amount else { return false }
        bucket.tokens -= amount
        let missing = rate.burst - bucket.tokens
        let secondsToFull = rate.perSecond > 0 ? missing / rate.perSecond : Double.infinity
        bucket.fullAt = secondsToFull * 1e9 >= Double(UInt64.max - now) ? .max : now + UInt64(secondsToFull * 1e9)
        return true
    }

    /// Makes room in a full shard: buckets full again go first; a quarter of the rest if needed.
    private static func evict(_ buckets: inout [BucketKey: Bucket], capacity: Int, now: UInt64) {
        buckets = buckets.filter { $0.value.fullAt > now }
        guard buckets.count >= capacity else { return }
        let excess = buckets.count - capacity + max(1, capacity / 4)
        for key in Array(buckets.keys.prefix(excess)) {
            buckets.removeValue(forKey: key)
        }
    }
}
