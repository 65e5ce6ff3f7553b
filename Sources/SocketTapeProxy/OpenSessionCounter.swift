import NIOConcurrencyHelpers

/// Open sessions per identity (WebSocket, and Socket.io on any transport), for
/// `connections.max-concurrent`; shared by every event loop.
final class OpenSessionCounter: Sendable {
    private let counts = NIOLockedValueBox<[String: Int]>([:])

    /// Counts a new session of `identity` unless it already has `limit` open; returns whether it was counted.
    func open(_ identity: String, limit: Int) -> Bool {
        counts.withLockedValue { counts in
            guard counts[identity, default: 0] < limit else { return false }
            counts[identity, default: 0] += 1
            return true
        }
    }

    /// A session of `identity` ended.
    func close(_ identity: String) {
        counts.withLockedValue { counts in
            let left = counts[identity, default: 1] - 1
            counts[identity] = left > 0 ? left : nil
        }
    }
}
