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
        let messages = MetricNameDescriptor.named("sockettape_messages_total", help: "WebSocket messages relayed, by sender")
        let bytes = MetricNameDescriptor.named("sockettape_message_bytes_total", help: "WebSocket message payload bytes, by sender")
        clientMessages = registry.makeCounter(descriptor: messages, labels: [("from", "client")])
        serverMessages = registry.makeCounter(descriptor: messages, labels: [("from", "server")])
        clientBytes = registry.makeCounter(descriptor: bytes, labels: [("from", "client")])
        serverBytes = registry.makeCounter(descriptor: bytes, labels: [("from", "server")])
        openSessions = registry.makeGauge(descriptor: .named("sockettape_sessions_open", help: "Sessions open now (WebSocket and Socket.io)"))
    }

    /// A complete data or control message from `peer` with `bytes` of payload.
    func message(from peer: Peer, bytes: Int) {
        let (count, size) = peer == .client ? (clientMessages, clientBytes) : (serverMessages, serverBytes)
        count.increment()
        size.increment(by: Int64(bytes))
    }

    /// A session opened on `transport`.
    func sessionOpened(_ transport: Transport) {
        let sessions = MetricNameDescriptor.named("sockettape_sessions_total", help: "Sessions opened, by transport")
        registry.makeCounter(descriptor: sessions, labels: [("transport", transport.name)])
            .increment()
        openSessions.increment()
    }

    /// A session closed.
    func sessionClosed() {
        openSessions.decrement()
    }

    /// A policy decision (rule, action), as on the tape.
    func decision(rule: String, action: String) {
        let decisions = MetricNameDescriptor.named(
            "sockettape_policy_decisions_total", help: "Policy decisions (drops, delays, closes, logs, refusals), by rule and action")
        registry.makeCounter(descriptor: decisions, labels: [("rule", rule), ("action", action)]).increment()
    }

    /// The Prometheus text exposition, with the state gauges read now (`now` on the tape's clock).
    func exposition(openConnections: Int, tape: TapeWriterStatistics?, now: RecordTime?) -> [UInt8] {
        gauge("sockettape_open_connections", help: "Client connections open now").set(Int64(openConnections))
        if let tape {
            gauge("sockettape_tape_bytes_written", help: "Bytes written to the tape").set(Int64(tape.bytesWritten))
            gauge("sockettape_tape_records_written", help: "Records written to the tape").set(Int64(tape.recordsWritten))
            gauge("sockettape_tape_records_dropped", help: "Records the tape writer could not keep (reported as gaps)")
                .set(Int64(tape.recordsDropped))
            gauge("sockettape_tape_unwritten_bytes", help: "Bytes of records queued for the tape, not yet in the file")
                .set(Int64(tape.unwrittenBytes))
            gauge("sockettape_tape_times_behind", help: "Times the tape writer fell behind and the proxy stopped reading until it caught up")
                .set(Int64(tape.timesBehind))
            gauge("sockettape_tape_seconds_behind", help: "Time the proxy's reads waited for the tape writer, in all")
                .set(Double(tape.nanosecondsBehind) / 1e9)
            var lag = 0.0
            if let oldest = tape.oldestUnwritten, let now, now.offsetNanos > oldest.offsetNanos {
                lag = Double(now.offsetNanos - oldest.offsetNanos) / 1e9
            }
            gauge("sockettape_tape_write_lag_seconds", help: "Age of the oldest record not yet in the tape file (0 when all are written)")
                .set(lag)
        }
        return registry.emitToBuffer()
    }

    private func gauge(_ name: String, help: String) -> Gauge {
        registry.makeGauge(descriptor: .named(name, help: help))
    }
}

extension MetricNameDescriptor {
    /// A metric named in full, without namespace, subsystem or unit parts.
    fileprivate static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
