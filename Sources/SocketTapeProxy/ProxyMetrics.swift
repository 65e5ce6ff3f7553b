import Prometheus
import SocketTapeTape

/// The proxy's Prometheus metrics, served by the admin listener (`--admin`) at `/metrics`.
///
/// Counters are bumped where things happen; the gauges that mirror state (open connections, the
/// tape writer's statistics) are read when `/metrics` is scraped.
final class ProxyMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let clientMessages: Counter
    private let serverMessages: Counter
    private let clientBytes: Counter
    private let serverBytes: Counter
    private let openSessions: Gauge

    init() {
        clientMessages = registry.makeCounter(
            name: "sockettape_messages_total", labels: [("from", "client")], help: "WebSocket messages relayed, by sender")
        serverMessages = registry.makeCounter(
            name: "sockettape_messages_total", labels: [("from", "server")], help: "WebSocket messages relayed, by sender")
        clientBytes = registry.makeCounter(
            name: "sockettape_message_bytes_total", labels: [("from", "client")], help: "WebSocket message payload bytes, by sender")
        serverBytes = registry.makeCounter(
            name: "sockettape_message_bytes_total", labels: [("from", "server")], help: "WebSocket message payload bytes, by sender")
        openSessions = registry.makeGauge(name: "sockettape_sessions_open", help: "Sessions open now (WebSocket and Socket.io)")
    }

    /// A complete data or control message from `peer` with `bytes` of payload.
    func message(from peer: Peer, bytes: Int) {
        let (count, size) = peer == .client ? (clientMessages, clientBytes) : (serverMessages, serverBytes)
        count.increment()
        size.increment(by: Int64(bytes))
    }

    /// A session opened on `transport`.
    func sessionOpened(_ transport: Transport) {
        registry.makeCounter(name: "sockettape_sessions_total", labels: [("transport", transport.name)], help: "Sessions opened, by transport")
            .increment()
        openSessions.increment()
    }

    /// A session closed.
    func sessionClosed() {
        openSessions.decrement()
    }

    /// A policy decision (rule, action), as on the tape.
    func decision(rule: String, action: String) {
        registry.makeCounter(
            name: "sockettape_policy_decisions_total", labels: [("rule", rule), ("action", action)],
            help: "Policy decisions (drops, delays, closes, logs, refusals), by rule and action"
        ).increment()
    }

    /// The Prometheus text exposition, with the state gauges read now (`now` on the tape's clock).
    func exposition(openConnections: Int, tape: TapeWriterStatistics?, now: RecordTime?) -> [UInt8] {
        registry.makeGauge(name: "sockettape_open_connections", help: "Client connections open now").set(Int64(openConnections))
        if let tape {
            registry.makeGauge(name: "sockettape_tape_bytes_written", help: "Bytes written to the tape").set(Int64(tape.bytesWritten))
            registry.makeGauge(name: "sockettape_tape_records_written", help: "Records written to the tape").set(Int64(tape.recordsWritten))
            registry.makeGauge(name: "sockettape_tape_records_dropped", help: "Records the tape writer could not keep (reported as gaps)")
                .set(Int64(tape.recordsDropped))
            registry.makeGauge(name: "sockettape_tape_unwritten_bytes", help: "Bytes of records queued for the tape, not yet in the file")
                .set(Int64(tape.unwrittenBytes))
            var lag = 0.0
            if let oldest = tape.oldestUnwritten, let now, now.offsetNanos > oldest.offsetNanos {
                lag = Double(now.offsetNanos - oldest.offsetNanos) / 1e9
            }
            registry.makeGauge(name: "sockettape_tape_write_lag_seconds", help: "Age of the oldest record not yet in the tape file (0 when all are written)")
                .set(lag)
        }
        return registry.emitToBuffer()
    }
}
