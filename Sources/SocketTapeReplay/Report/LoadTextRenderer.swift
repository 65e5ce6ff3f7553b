import SocketTapeTape

/// A load test's report for people (what `sockettape replay --clients …` prints):
///
/// ```
/// load test: 1 session × 20 clients = 20 sessions, pacing recorded, speed 1, duration 2 s, loop
/// ran 2.004 s: 412 sessions started, 412 opened, 392 completed, 20 stopped, 0 failed
/// messages: 4120 sent (2056/s, 0.1 MiB), 4120 received (2056/s, 0.1 MiB)
/// round trips: 4120 measured: 0 by ack, 4120 by first answer
///
///                  count       p50       p90       p99     p99.9       max
/// connect            412  0.065 ms  0.120 ms  0.320 ms  0.410 ms  0.412 ms
/// …
/// close codes: 1000 × 412
/// errors: none
/// ```
public enum LoadTextRenderer {
    public static func render(_ report: LoadReport) -> String {
        let counts = report.counts
        let seconds = Double(report.elapsedMicros) / 1e6
        var lines = [
            "load test: " + setupPhrase(report.setup),
            "ran \(TextFormat.fixed(seconds, 3)) s: \(counts.started) sessions started, \(counts.opened) opened, "
                + "\(counts.completed) completed, \(counts.stopped) stopped, \(counts.failed) failed",
            "messages: \(counts.sent) sent (\(rate(counts.sent, seconds)), \(mebibytes(counts.bytesSent))), "
                + "\(counts.received) received (\(rate(counts.received, seconds)), \(mebibytes(counts.bytesReceived)))",
            "round trips: \(counts.ackRoundTrips + counts.answerRoundTrips) measured: \(counts.ackRoundTrips) by ack, "
                + "\(counts.answerRoundTrips) by first answer",
            "",
            TextFormat.left("", 12) + ["count", "p50", "p90", "p99", "p99.9", "max"].map { TextFormat.right($0, 10) }.joined(),
        ]
        for (name, histogram) in [("connect", report.connect), ("handshake", report.handshake), ("round trip", report.roundTrip),
                                  ("pacing error", report.pacingError)] {
            lines.append(TextFormat.left(name, 12) + TextFormat.right(String(histogram.count), 10)
                + [histogram.percentile(50), histogram.percentile(90), histogram.percentile(99), histogram.percentile(99.9), histogram.max]
                .map { TextFormat.right(milliseconds($0), 10) }.joined())
        }
        lines.append("")
        lines.append("close codes: " + tally(counts.closeCodes))
        lines.append("errors: " + tally(counts.errors))
        lines += counts.errorExamples.sorted { $0.key < $1.key }.map { "  first \($0.key) error: \($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1 session × 20 clients = 20 sessions, pacing recorded, speed 1, …`.
    static func setupPhrase(_ setup: LoadReport.Setup) -> String {
        var parts = [
            "\(setup.sessions) session\(setup.sessions == 1 ? "" : "s") × \(setup.clients) client\(setup.clients == 1 ? "" : "s")"
                + " = \(setup.sessions * setup.clients) sessions",
            "pacing \(setup.pacing)", "speed \(number(setup.speed))",
        ]
        if setup.rampUpMillis > 0 { parts.append("ramp-up \(number(Double(setup.rampUpMillis) / 1000)) s") }
        if let duration = setup.durationMillis { parts.append("duration \(number(Double(duration) / 1000)) s") }
        if setup.loop { parts.append("loop") }
        if !setup.shards.isEmpty { parts.append("shard\(setup.shards.count == 1 ? "" : "s") " + setup.shards.joined(separator: ", ")) }
        return parts.joined(separator: ", ")
    }

    /// A duration in µs as milliseconds: `0.412 ms`.
    public static func milliseconds(_ micros: UInt64) -> String {
        TextFormat.fixed(Double(micros) / 1000, 3) + " ms"
    }

    private static func rate(_ count: Int, _ seconds: Double) -> String {
        seconds > 0 ? "\(Int((Double(count) / seconds).rounded()))/s" : "-"
    }

    private static func mebibytes(_ bytes: Int) -> String {
        TextFormat.fixed(Double(bytes) / 1_048_576, 1) + " MiB"
    }

    /// `1.5`, `2`.
    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `1000 × 412, none × 3`, most frequent first; `none` when empty.
    private static func tally(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "none" }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
    }
}
