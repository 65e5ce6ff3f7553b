import NIOConcurrencyHelpers
import NIOCore
import SocketTapeWire

/// The Engine.IO sessions the proxy is following, by `sid`, so that every polling request and the
/// WebSocket upgrade of one session land in one tape session.
///
/// Polling requests of one session arrive on any connection, hence any event loop: the table is
/// shared and locked. A session leaves the table when its close is seen, when its WebSocket ends,
/// or when it has been silent for longer than its handshake allows (``expire(now:)``).
final class EngineIOSessionTable: Sendable {
    struct Entry {
        var session: String
        var version: EngineIOVersion
        /// Silence after which the server will have dropped the session too.
        var timeout: TimeAmount
        var lastSeen: NIODeadline
        /// Upgraded to WebSocket: the WebSocket's end removes it, not silence.
        var upgraded = false
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// The tape session of `sid`, marking it as seen now.
    func session(for sid: String) -> String? {
        entries.withLockedValue { entries in
            entries[sid]?.lastSeen = .now()
            return entries[sid]?.session
        }
    }

    /// Starts following `sid` as tape session `session`.
    func register(sid: String, session: String, version: EngineIOVersion, timeout: TimeAmount) {
        entries.withLockedValue { $0[sid] = Entry(session: session, version: version, timeout: timeout, lastSeen: .now()) }
    }

    /// Notes that `sid` moved to WebSocket.
    func markUpgraded(_ sid: String) {
        entries.withLockedValue { $0[sid]?.upgraded = true }
    }

    /// Stops following `sid`; returns whether it was followed.
    @discardableResult
    func remove(_ sid: String) -> Bool {
        entries.withLockedValue { $0.removeValue(forKey: sid) != nil }
    }

    /// Removes and returns the polling sessions silent for longer than their timeout.
    func expire(now: NIODeadline) -> [Entry] {
        entries.withLockedValue { entries in
            let expired = entries.filter { !$0.value.upgraded && now - $0.value.lastSeen > $0.value.timeout }
            for sid in expired.keys { entries[sid] = nil }
            return Array(expired.values)
        }
    }

    /// Removes and returns every polling session (shutdown).
    func removeAllPolling() -> [Entry] {
        expire(now: .distantFuture)
    }
}
