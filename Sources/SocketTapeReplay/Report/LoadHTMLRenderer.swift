#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SocketTapeTape
import SocketTapeWire

/// A load test's report as one self-contained HTML page (`--html FILE`): the text summary, charts
/// of latency per second (round-trip p50 and p99, pacing-error p99), of messages per second and of the round-trip
/// distribution, drawn as inline SVG, and the JSON report itself in a
/// `<script type="application/json" id="load-report">` element for tools. Nothing is loaded from
/// elsewhere.
public enum LoadHTMLRenderer {
    public static func render(_ report: LoadReport) -> String {
        let title = "sockettape load test: " + report.setup.tape
        // Seconds without round trips have no latency to draw; the last second may be partial.
        let measured = report.timeline.filter { !$0.roundTripBuckets.isEmpty }
        let paced = report.timeline.filter { !$0.pacingErrorBuckets.isEmpty }
        var latencies = [
            SVGChart.Series(name: "round trip p50", color: "#2b6cb0", points: measured.map { (Double($0.second), milliseconds($0.roundTrips.percentile(50))) }),
            SVGChart.Series(name: "round trip p99", color: "#c53030", points: measured.map { (Double($0.second), milliseconds($0.roundTrips.percentile(99))) }),
        ]
        if !paced.isEmpty {
            latencies.append(SVGChart.Series(
                name: "pacing error p99", color: "#dd6b20", points: paced.map { (Double($0.second), milliseconds($0.pacingErrors.percentile(99))) }))
        }
        let latency = SVGChart.lines(latencies, xLabel: "seconds from the start", yLabel: "ms")
        let elapsed = Double(report.elapsedMicros) / 1e6
        func perSecond(_ count: Int, in second: Int) -> Double {
            Double(count) / max(min(elapsed - Double(second), 1), 0.001)
        }
        let throughput = SVGChart.lines([
            SVGChart.Series(name: "sent", color: "#2f855a", points: report.timeline.map { (Double($0.second), perSecond($0.counts.sent, in: $0.second)) }),
            SVGChart.Series(name: "received", color: "#805ad5", points: report.timeline.map { (Double($0.second), perSecond($0.counts.received, in: $0.second)) }),
        ], xLabel: "seconds from the start", yLabel: "messages per second")
        let histogram = SVGChart.bars(bins(report.roundTrip), color: "#2b6cb0", xLabel: "round trip, ms (bins up to)", yLabel: "round trips")
        let json = report.json.jsonText.replacing("</", with: "<\\/")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(JUnitReportRenderer.escape(title))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;max-width:820px;color:#1a202c}
            pre{background:#f7fafc;padding:12px;overflow-x:auto;font-size:12px}
            .chart{width:100%;height:auto;font-size:11px;fill:#4a5568}
            .axis{stroke:#4a5568}.grid{stroke:#e2e8f0}
            </style></head><body>
            <h1>\(JUnitReportRenderer.escape(title))</h1>
            <pre>\(JUnitReportRenderer.escape(LoadTextRenderer.render(report), attribute: false))</pre>
            <h2>Latency over time</h2>
            \(latency)
            <h2>Messages per second</h2>
            \(throughput)
            <h2>Round-trip distribution</h2>
            \(histogram)
            <script type="application/json" id="load-report">\(json)</script>
            </body></html>

            """
    }

    /// The round trips in up to 30 bins of equal width on a log scale, labelled by their upper end in ms.
    static func bins(_ histogram: LoadHistogram) -> [(label: String, value: Double)] {
        let buckets = histogram.buckets
        guard let low = buckets.first?.value, let high = buckets.last?.value else { return [] }
        let lower = Double(max(low, 1))
        let upper = Double(max(high, 1))
        let count = upper > lower ? 30 : 1
        let ratio = count > 1 ? pow(upper / lower, 1 / Double(count)) : 1
        var values = [Double](repeating: 0, count: count)
        for bucket in buckets {
            let position = ratio > 1 ? Int((log(Double(max(bucket.value, 1)) / lower) / log(ratio)).rounded(.down)) : 0
            values[min(max(position, 0), count - 1)] += Double(bucket.count)
        }
        return values.enumerated().map { index, value in
            (label: TextFormat.fixed(lower * pow(ratio, Double(index + 1)) / 1000, 3), value: value)
        }
    }

    private static func milliseconds(_ micros: UInt64) -> Double {
        Double(micros) / 1000
    }
}
