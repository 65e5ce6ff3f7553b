import NIOCore
import Testing

@testable import SocketTapeReplay

@Suite struct LoadReportTests {
    private static func histogram(_ micros: [Int64], digits: Int = 3) -> LoadHistogram {
        var histogram = LoadHistogram(digits: digits)
        for value in micros { histogram.record(nanoseconds: value * 1000) }
        return histogram
    }

    private static func report(start: Int64, sent: Int, roundTrips: [Int64], failed: Int = 0) -> LoadReport {
        var report = LoadReport()
        report.setup.tape = "chat.tape"
        report.setup.target = "ws://127.0.0.1:1"
        report.setup.sessions = 2
        report.setup.clients = 10
        report.setup.shards = ["1/2"]
        report.setup.pacing = "recorded"
        report.setup.speed = 1.5
        report.setup.durationMillis = 2000
        report.setup.loop = true
        report.startedAtMicros = start
        report.elapsedMicros = 2_000_000
        report.counts.started = 10
        report.counts.sent = sent
        report.counts.failed = failed
        report.counts.errors = failed > 0 ? ["connect": failed] : [:]
        report.counts.errorExamples = failed > 0 ? ["connect": "connect to 127.0.0.1:1 failed: connection refused"] : [:]
        report.counts.closeCodes = failed > 0 ? ["1000": 10 - failed, "none": failed] : ["1000": 10]
        report.roundTrip = histogram(roundTrips)
        report.connect = histogram([120, 130])
        var second = LoadCounts()
        second.sent = sent
        report.timeline = [LoadSecond(second: 0, counts: second, roundTrips: histogram(roundTrips, digits: 2), pacingErrors: histogram([40, 90], digits: 2))]
        return report
    }

    @Test func histogramsMergeAsIfOneHadRecordedEverything() {
        let values: [Int64] = [1, 17, 250, 999, 1001, 2049, 35_000, 1_000_000, 7_777_777]
        var merged = Self.histogram(Array(values.prefix(4)))
        merged.add(Self.histogram(Array(values.dropFirst(4))))
        let whole = Self.histogram(values)
        #expect(merged == whole)
        #expect(merged.count == 9)
        #expect(merged.percentile(99) == whole.percentile(99))
        #expect(LoadHistogram(buckets: whole.buckets, max: whole.max) == whole)
        #expect(LoadHistogram(buckets: whole.buckets, max: whole.max).percentile(100) == 7_777_777)
    }

    @Test func aCoarserHistogramTakesAFinerOnesValues() {
        var coarse = LoadHistogram(digits: 2)
        coarse.add(Self.histogram([1234, 5678]))
        #expect(coarse.count == 2 && coarse.digits == 2)
    }

    @Test func theJSONReportReadsBackEqual() throws {
        let report = Self.report(start: 1_764_244_800_123_456, sent: 42, roundTrips: [300, 450, 12_000], failed: 1)
        let read = try LoadReport(jsonText: report.jsonText)
        #expect(read == report)
        #expect(report.jsonText.hasPrefix(#"{"version":1,"kind":"load","exit_status":1,"#))
        #expect(!report.jsonText.dropLast().contains("\n"))
    }

    @Test func aReportThatIsNotALoadReportIsNamedAsSuch() {
        #expect(throws: ReplayFileError(location: "/kind", reason: #"expected "load" (a load test's report)"#)) {
            try LoadReport(jsonText: #"{"version":1,"kind":"replay"}"#)
        }
        #expect(throws: ReplayFileError.self) { try LoadReport(jsonText: #"{"version":2,"kind":"load"}"#) }
    }

    @Test func shardsMergeIntoOneReport() {
        var second = Self.report(start: 1_000_000_000 + 2_000_000, sent: 8, roundTrips: [500])
        second.setup.shards = ["2/2"]
        let merged = LoadReport.merging([Self.report(start: 1_000_000_000, sent: 5, roundTrips: [100, 200]), second])
        #expect(merged.counts.sent == 13)
        #expect(merged.counts.started == 20)
        #expect(merged.counts.closeCodes == ["1000": 20])
        #expect(merged.roundTrip == Self.histogram([100, 200, 500]))
        #expect(merged.setup.shards == ["1/2", "2/2"])
        #expect(merged.startedAtMicros == 1_000_000_000 && merged.elapsedMicros == 4_000_000)
        #expect(merged.timeline.map(\.second) == [0, 2])
        #expect(merged.timeline.map(\.counts.sent) == [5, 8])
    }

    @Test func secondsOfTheSameTimeAddUp() {
        var timeline: [LoadSecond] = []
        var counts = LoadCounts()
        counts.sent = 3
        for second in [2, 0, 2, 1] { timeline.insert(LoadSecond(second: second, counts: counts, roundTrips: Self.histogram([Int64(second) * 100 + 10], digits: 2), pacingErrors: LoadHistogram(digits: 2))) }
        #expect(timeline.map(\.second) == [0, 1, 2])
        #expect(timeline.map(\.counts.sent) == [3, 3, 6])
        #expect(timeline[2].roundTrips.count == 2)
    }

    @Test func theHTMLPageIsSelfContainedAndCarriesTheData() {
        let html = LoadHTMLRenderer.render(Self.report(start: 1_764_244_800_000_000, sent: 42, roundTrips: [300, 450, 12_000]))
        #expect(html.contains("<svg") && html.contains("<polyline") && html.contains("<rect"))
        #expect(html.contains(#"<script type="application/json" id="load-report">{"version":1"#))
        #expect(!html.contains("src=") && !html.contains("href="))
    }
}
