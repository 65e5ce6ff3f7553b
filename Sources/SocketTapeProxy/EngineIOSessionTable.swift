import NIOConcurrencyHelpers
import NIOCore
import SocketTapeWire

/// The Engine.IO sessions the proxy is following, by `sid`, so that every polling request and the
/// WebSocket upgrade of one session land in one tape session.
///
/// Polling requests of one session arrive on any connection, hence any event loop: the table is
/// shared and locked. A session leaves the table when its close is seen, when its WebSocket ends,
/// or when it has been silent for longer than its handshake allows (``expire(now:)``).
///
/// With a policy, an entry also holds the session's ``SessionPolicy`` (its POSTs are checked
/// against it) and the packets the proxy itself has for the client (``send(_:to:)``), which the
/// next GET of the session delivers.
final class EngineIOSessionTable: Sendable {
    struct Entry {
        var session: String
        var version: EngineIOVersion
        /// Silence after which the server will have dropped the session too.
        var timeout: TimeAmount
        var lastSeen: NIODeadline
        /// Upgraded to WebSocket: the WebSocket's end removes it, not silence.
        var upgraded = false
        /// The session's policy state, when the proxy checks messages.
        var policy: SessionPolicy?
        /// Packets of the proxy's own for the client, waiting for a GET.
        var outbox: [EngineIOPacket] = []
        /// Tells the GET now waiting for the server (if any) that the outbox has packets.
        var waitingGet: (@Sendable () -> Void)?
        /// The identity whose open-session count (`connections.max-concurrent`) the session holds;
        /// given back when it leaves the table.
        var countedIdentity: String?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let openSessions: OpenSessionCounter

    init(openSessions: OpenSessionCounter) {
        self.openSessions = openSessions
    }

    /// The tape session of `sid`, marking it as seen now.
    func session(for sid: String) -> String? {
        entries.withLockedValue { entries in
            entries[sid]?.lastSeen = .now()
            return entries[sid]?.session
        }
    }

    /// Starts following `sid` as tape session `session`.
    func register(
        sid: String, session: String, version: EngineIOVersion, timeout: TimeAmount,
        policy: SessionPolicy? = nil, countedIdentity: String? = nil
    ) {
        entries.withLockedValue {
            $0[sid] = Entry(
                session: session, version: version, timeout: timeout, lastSeen: .now(), policy: policy,
                countedIdentity: countedIdentity
            )
        }
    }

    /// Gives back an open-session count that no session took (a handshake that failed).
    func releaseCount(of identity: String) {
        openSessions.close(identity)
    }

    /// Runs `body` on the policy state of `sid`; nil when the session is not followed or has no policy.
    func withPolicy<Result>(of sid: String, _ body: (inout SessionPolicy) -> Result) -> Result? {
        entries.withLockedValue { entries in
            guard var policy = entries[sid]?.policy else { return nil }
            defer { entries[sid]?.policy = policy }
            return body(&policy)
        }
    }

    /// The policy state of `sid`, for its WebSocket after an upgrade.
    func policy(of sid: String) -> SessionPolicy? {
        entries.withLockedValue { $0[sid]?.policy }
    }

    /// Queues packets of the proxy's own for the client of `sid` and tells its waiting GET, if any.
    func send(_ packets: [EngineIOPacket], to sid: String) {
        let poke = entries.withLockedValue { entries -> (@Sendable () -> Void)? in
            guard entries[sid] != nil else { return nil }
            entries[sid]?.outbox.append(contentsOf: packets)
            return entries[sid]?.waitingGet
        }
        poke?()
    }

    /// Takes the packets waiting for the client of `sid`.
    func takeOutbox(of sid: String) -> [EngineIOPacket] {
        entries.withLockedValue { entries in
            guard let outbox = entries[sid]?.outbox, !outbox.isEmpty else { return [] }
            entries[sid]?.outbox = []
            return outbox
        }
    }

    /// Notes the GET of `sid` now waiting for the server: `poke` is called when the outbox fills.
    func setWaitingGet(of sid: String, _ poke: @escaping @Sendable () -> Void) {
        entries.withLockedValue { $0[sid]?.waitingGet = poke }
    }

    /// Notes that `sid` moved to WebSocket.
    func markUpgraded(_ sid: String) {
        entries.withLockedValue { $0[sid]?.upgraded = true }
    }

    /// Stops following `sid`; returns whether it was followed.
    @discardableResult
    func remove(_ sid: String) -> Bool {
        guard let removed = entries.withLockedValue({ $0.removeValue(forKey: sid) }) else { return false }
        removed.countedIdentity.map(openSessions.close)
        return true
    }

    /// Removes and returns the polling sessions silent for longer than their timeout.
    func expire(now: NIODeadline) -> [Entry] {
        let expired = entries.withLockedValue { entries in
            let expired = entries.filter { !$0.value.upgraded && now - $0.value.lastSeen > $0.value.timeout }
            for sid in expired.keys { entries[sid] = nil }
            return Array(expired.values)
        }
        for entry in expired { entry.countedIdentity.map(openSessions.close) }
        return expired
    }

    /// Removes and returns every polling session (shutdown).
    func removeAllPolling() -> [Entry] {
        expire(now: .distantFuture)
    }
}
