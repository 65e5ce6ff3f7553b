import NIOConcurrencyHelpers
import NIOCore
import SocketTapeTape

/// What every connection of one proxy shares: configuration, the upstream connector, the tape
/// writer, the registry of open connections, and session ids.
final class ProxyEnvironment: Sendable {
    let configuration: ProxyConfiguration
    let connector: UpstreamConnector
    let writer: TapeWriter?
    let registry = ConnectionRegistry()
    private let sessionPrefix: String
    private let sessionCounter = NIOLockedValueBox<UInt64>(0)

    init(configuration: ProxyConfiguration, connector: UpstreamConnector, writer: TapeWriter?) {
        self.configuration = configuration
        self.connector = connector
        self.writer = writer
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

    /// A recorder for a new session.
    func makeRecorder() -> SessionRecorder {
        SessionRecorder(session: newSessionID(), writer: writer, redaction: configuration.redaction)
    }
}
