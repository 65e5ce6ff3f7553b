import NIOConcurrencyHelpers
import NIOCore
import SocketTapeWire
import NIOHTTP1
import SocketTapePolicy
import SocketTapeTape

/// What every connection of one proxy shares: configuration, the upstream connector, the tape
/// writer, the registry of open connections, and session ids.
final class ProxyEnvironment: Sendable {
    let configuration: ProxyConfiguration
    let connector: UpstreamConnector
    let writer: TapeWriter?
    let registry = ConnectionRegistry()
    /// Engine.IO sessions by sid, shared by every connection.
    let engineIOSessions: EngineIOSessionTable
    /// The policy engine, shared by every connection so that limits count per identity; `nil` without rules.
    let policyEngine: PolicyEngine?
    /// Open sessions per identity (`connections.max-concurrent`).
    let openSessions: OpenSessionCounter
    /// What the admin listener's `/metrics` shows; `nil` without `--admin`, so the relay's hot path counts nothing nobody reads.
    let metrics: ProxyMetrics?
    private let sessionPrefix: String
    private let sessionCounter = NIOLockedValueBox<UInt64>(0)

    init(configuration: ProxyConfiguration, connector: UpstreamConnector, writer: TapeWriter?) {
        self.configuration = configuration
        self.connector = connector
        self.writer = writer
        let openSessions = OpenSessionCounter()
        self.openSessions = openSessions
        self.engineIOSessions = EngineIOSessionTable(openSessions: openSessions)
        self.metrics = configuration.admin == nil ? nil : ProxyMetrics()
        self.policyEngine = configuration.policy == .none ? nil : PolicyEngine(configuration: configuration.policy)
        // A random prefix keeps ids unique across proxy runs and instances whose tapes are merged.
        self.sessionPrefix = String(UInt32.random(in: 0x1000_0000 ... 0xFFFF_FFFF), radix: 36)
    }

    /// A new session id: the run's prefix and a counter, such as `1ekz9q-42`.
    func newSessionID() -> String {
        let number = sessionCounter.withLockedValue { counter -> UInt64 in
            counter += 1
            return counter
        }
        return "\(sessionPrefix)-\(number)"
    }

    /// A recorder for `session`, or for a new session.
    func makeRecorder(session: String? = nil) -> SessionRecorder {
        SessionRecorder(session: session ?? newSessionID(), writer: writer, redaction: configuration.redaction, metrics: metrics)
    }

    /// The Engine.IO side of a request, when it belongs to a Socket.io session; a request whose
    /// `sid` the proxy follows joins that tape session.
    func engineIOContext(for head: HTTPRequestHead) -> EngineIOContext? {
        guard let request = EngineIORequest(head, detection: configuration.socketIO) else { return nil }
        let known = request.sid.flatMap(engineIOSessions.session(for:))
        return EngineIOContext(
            request: request, sessions: engineIOSessions, knownSession: known,
            redactsAuth: configuration.redactsSocketIOAuth
        )
    }

    /// Writes the close records of Engine.IO polling sessions the proxy stops following: silent
    /// past their handshake's ping interval and timeout, or still open at shutdown.
    func endPollingSessions(_ sessions: [EngineIOSessionTable.Entry], reason: String) {
        for _ in sessions { metrics?.sessionClosed() }
        guard let writer, !sessions.isEmpty else { return }
        let time = writer.clock.now()
        writer.append(contentsOf: sessions.map { entry in
            TapeRecord(session: entry.session, time: time, body: .close(SessionClose(by: .proxy, code: nil, reason: "", error: reason)))
        })
    }
}
