import SocketTapePolicy
import Testing

let second: UInt64 = 1_000_000_000

@Suite struct RateLimiterTests {
    let rate = Rate(perSecond: 2, burst: 4)

    @Test func burstThenEmpty() {
        let limiter = LocalRateLimiter()
        let taken = (0..<6).map { _ in limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: 10 * second) }
        #expect(taken == [true, true, true, true, false, false])
    }

    @Test func refillsOverTime() {
        let limiter = LocalRateLimiter()
        for _ in 0..<4 { #expect(limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: 0)) }
        #expect(!limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: 0))
        // 2 per second: after 0.5 s one token is back, after 0.75 s not yet a second one.
        #expect(limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: second / 2))
        #expect(!limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: second * 3 / 4))
        #expect(limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: second))
        // Never more than the burst, however long the pause.
        let later = 100 * second
        let taken = (0..<6).filter { _ in limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: later) }
        #expect(taken.count == 4)
    }

    @Test func aFailedTakeTakesNothing() {
        let limiter = LocalRateLimiter()
        #expect(!limiter.take(key: "a", rule: "bytes", amount: 5, rate: rate, now: 0))
        #expect(limiter.take(key: "a", rule: "bytes", amount: 4, rate: rate, now: 0))
    }

    @Test func oneKeyIsSharedAcrossConnections() {
        // Two connections of one identity use one bucket: the limiter only sees keys.
        let limiter = LocalRateLimiter()
        let engineA = PolicyEngine(configuration: limitConfiguration, limiter: limiter)
        let engineB = PolicyEngine(configuration: limitConfiguration, limiter: limiter)
        let verdicts = (0..<6).map { index in
            (index.isMultiple(of: 2) ? engineA : engineB).check(clientText("x"), identity: "user-1", now: 0)
        }
        #expect(verdicts.filter { $0 == .pass }.count == 4)
    }

    @Test func keysAndRulesAreIndependent() {
        let limiter = LocalRateLimiter()
        for _ in 0..<4 { #expect(limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: 0)) }
        #expect(!limiter.take(key: "a", rule: "r", amount: 1, rate: rate, now: 0))
        #expect(limiter.take(key: "b", rule: "r", amount: 1, rate: rate, now: 0))
        #expect(limiter.take(key: "a", rule: "other", amount: 1, rate: rate, now: 0))
    }

    @Test func refilledBucketsAreEvictedFirst() {
        let limiter = LocalRateLimiter(maxBuckets: 16 * 8)
        for index in 0..<1000 {
            _ = limiter.take(key: "k\(index)", rule: "r", amount: 1, rate: rate, now: UInt64(index) * second)
        }
        // Each bucket is full again 0.5 s after its take, so at most one per shard is kept.
        #expect(limiter.bucketCount <= 16 * 8)
        #expect(limiter.bucketCount >= 1)
    }

    @Test func memoryStaysBoundedUnderManyActiveKeys() {
        let limiter = LocalRateLimiter(maxBuckets: 16 * 8)
        for index in 0..<10_000 {
            _ = limiter.take(key: "k\(index)", rule: "r", amount: 4, rate: rate, now: 0)
        }
        #expect(limiter.bucketCount <= 16 * 8)
    }
}
