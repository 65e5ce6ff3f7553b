/// What a load test measured (`replay --clients …`): the report behind the text summary, the
/// JSON file (`--report`, ``jsonText``) and the HTML page; reports of shards merge into one
/// (``merging(_:)``).
public struct LoadReport: Sendable, Equatable {
    /// How the run was set up, as its flags said.
    public struct Setup: Sendable, Equatable {
        /// The tape's file name.
        public var tape = ""
        public var target = ""
        /// Sessions of the tape replayed (after `--sessions` and `--grep`).
        public var sessions = 0
        public var clients = 1
        /// The shards that ran (`1/4`…); empty when the run was not sharded.
        public var shards: [String] = []
        public var pacing = ""
        public var speed = 1.0
        public var rampUpMillis: Int64 = 0
        /// `--duration`, when given.
        public var durationMillis: Int64?
        public var loop = false

        public init() {}
    }

    public var setup = Setup()
    /// When the run started: microseconds since the Unix epoch.
    public var startedAtMicros: Int64 = 0
    /// How long it ran, from the start to the end of its last session.
    public var elapsedMicros: Int64 = 0
    public var counts = LoadCounts()
    /// From the start of a session to its TCP connection.
    public var connect = LoadHistogram()
    /// From the start of a session to its completed handshake.
    public var handshake = LoadHistogram()
    public var roundTrip = LoadHistogram()
    /// `recorded` pacing: how late client messages went (empty with other pacings).
    public var pacingError = LoadHistogram()
    /// Second by second.
    public var timeline: [LoadSecond] = []

    public init() {}

    /// 0 when every session ran without an error, 1 when one failed.
    public var exitStatus: Int { counts.failed > 0 ? 1 : 0 }

    /// The reports of the shards of one load test as one: counts added, histograms merged
    /// exactly, timelines added second by second — each report's seconds placed by its start
    /// time (rounded to whole seconds) relative to the earliest start.
    public static func merging(_ reports: [LoadReport]) -> LoadReport {
        var merged = LoadReport()
        guard let first = reports.first, let start = reports.map(\.startedAtMicros).min(),
              let end = reports.map({ $0.startedAtMicros + $0.elapsedMicros }).max()
        else { return merged }
        merged.setup = first.setup
        merged.setup.shards = reports.flatMap(\.setup.shards).sorted { $0.shardOrder.lexicographicallyPrecedes($1.shardOrder) }
        merged.startedAtMicros = start
        merged.elapsedMicros = end - start
        for report in reports {
            merged.counts.add(report.counts)
            merged.connect.add(report.connect)
            merged.handshake.add(report.handshake)
            merged.roundTrip.add(report.roundTrip)
            merged.pacingError.add(report.pacingError)
            let shift = Int(((report.startedAtMicros - start + 500_000) / 1_000_000))
            for var second in report.timeline {
                second.second += shift
                merged.timeline.insert(second)
            }
        }
        return merged
    }
}

extension String {
    /// Sorts `i/n` shards by `n`, then `i`.
    fileprivate var shardOrder: [Int] {
        split(separator: "/").map { Int($0) ?? 0 }.reversed()
    }
}
