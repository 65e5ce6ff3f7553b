import SocketTapeTape
import SocketTapeWire

/// The JSON report of a load test (`--report FILE`; docs/replay.md, "Load report"): one object
/// on one line, versioned, with histograms as buckets so that shards merge exactly.
extension LoadReport {
    /// The version this code writes and reads.
    public static let formatVersion = 1

    /// The report as JSON text, one line, ending with a newline.
    public var jsonText: String { json.jsonText + "\n" }

    /// The report as a JSON value.
    public var json: JSONValue {
        [
            "version": .integer(Self.formatVersion), "kind": "load", "exit_status": .integer(exitStatus),
            "setup": setup.json, "started_at": .string(TimeText.timestamp(wallMicros: startedAtMicros)),
            "elapsed_us": .integer(elapsedMicros), "totals": counts.json,
            "connect_us": connect.json, "handshake_us": handshake.json, "round_trip_us": roundTrip.json,
            "pacing_error_us": pacingError.json, "timeline": .array(timeline.map(\.json)),
        ]
    }

    /// Reads a report written by ``jsonText``; derived members (`exit_status`, the histograms'
    /// percentiles) are not read, unknown ones are ignored.
    ///
    /// - Throws: ``ReplayFileError`` naming the JSON pointer of the first value that is wrong.
    public init(jsonText: String) throws(ReplayFileError) {
        let root = try DocumentValue.root(parsing: jsonText, version: Self.formatVersion)
        let kind = try root.member("kind")
        guard try kind.string() == "load" else { throw kind.error("expected \"load\" (a load test's report)") }
        self.init()
        setup = try Setup(root.member("setup"))
        let started = try root.member("started_at")
        guard let micros = TimeText.wallMicros(timestamp: try started.string()) else { throw started.error("expected an RFC 3339 time") }
        startedAtMicros = micros
        elapsedMicros = Int64(try root.member("elapsed_us").count())
        counts = try LoadCounts(root.member("totals"))
        connect = try LoadHistogram(root.member("connect_us"))
        handshake = try LoadHistogram(root.member("handshake_us"))
        roundTrip = try LoadHistogram(root.member("round_trip_us"))
        pacingError = try LoadHistogram(root.member("pacing_error_us"))
        timeline = try root.member("timeline").elements().map { (entry) throws(ReplayFileError) in try LoadSecond(entry) }
    }
}

extension LoadReport.Setup {
    var json: JSONValue {
        var object: JSONObject = [
            "tape": .string(tape), "target": .string(target), "sessions": .integer(sessions), "clients": .integer(clients),
            "shards": .array(shards.map(JSONValue.string)), "pacing": .string(pacing), "speed": .number(String(speed)),
            "ramp_up_ms": .integer(rampUpMillis),
        ]
        if let durationMillis { object["duration_ms"] = .integer(durationMillis) }
        object["loop"] = .bool(loop)
        return .object(object)
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        self.init()
        tape = try document.member("tape").string()
        target = try document.member("target").string()
        sessions = try document.member("sessions").count()
        clients = try document.member("clients").count()
        shards = try document.member("shards").elements().map { (shard) throws(ReplayFileError) in try shard.string() }
        pacing = try document.member("pacing").string()
        speed = try document.member("speed").number()
        rampUpMillis = Int64(try document.member("ramp_up_ms").count())
        durationMillis = try document.optionalMember("duration_ms").map { (value) throws(ReplayFileError) in Int64(try value.count()) }
        loop = try document.member("loop").bool()
    }
}

extension LoadCounts {
    var json: JSONValue {
        .object(JSONObject(Self.fields.map { (key: $0.name, value: .integer(self[keyPath: $0.path])) } + [
            (key: "errors", value: Self.json(errors)),
            (key: "error_examples", value: .object(JSONObject(errorExamples.sorted { $0.key < $1.key }.map { (key: $0.key, value: .string($0.value)) }))),
            (key: "close_codes", value: Self.json(closeCodes)),
        ]))
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        self.init()
        for field in Self.fields { self[keyPath: field.path] = try document.member(field.name).count() }
        errors = try Self.tally(document.member("errors"))
        for (kind, example) in document.optionalMember("error_examples")?.value.objectValue?.members ?? [] {
            errorExamples[kind] = example.stringValue
        }
        closeCodes = try Self.tally(document.member("close_codes"))
    }

    /// The counters, by their JSON names.
    private static var fields: [(name: String, path: WritableKeyPath<LoadCounts, Int>)] {
        [
            ("started", \.started), ("opened", \.opened), ("completed", \.completed), ("stopped", \.stopped), ("failed", \.failed),
            ("sent", \.sent), ("received", \.received), ("bytes_sent", \.bytesSent), ("bytes_received", \.bytesReceived),
            ("ack_round_trips", \.ackRoundTrips), ("answer_round_trips", \.answerRoundTrips),
        ]
    }

    private static func json(_ tally: [String: Int]) -> JSONValue {
        .object(JSONObject(tally.sorted { $0.key < $1.key }.map { (key: $0.key, value: .integer($0.value)) }))
    }

    private static func tally(_ document: DocumentValue) throws(ReplayFileError) -> [String: Int] {
        guard let object = document.value.objectValue else { throw document.error("expected an object") }
        var tally: [String: Int] = [:]
        for (key, _) in object.members { tally[key] = try document.member(key).count() }
        return tally
    }
}

extension LoadHistogram {
    /// `{"digits":3,"count":N,"p50":…,"p90":…,"p99":…,"p999":…,"max":…,"mean":…,"buckets":[[value,count],…]}`;
    /// `digits`, `max` (exact) and `buckets` are read back.
    var json: JSONValue {
        [
            "digits": .integer(digits), "count": .integer(count), "p50": .integer(percentile(50)), "p90": .integer(percentile(90)),
            "p99": .integer(percentile(99)), "p999": .integer(percentile(99.9)), "max": .integer(max),
            "mean": .integer(UInt64(mean.rounded())), "buckets": .array(buckets.map { [.integer($0.value), .integer($0.count)] }),
        ]
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        let digitsValue = try document.member("digits")
        let digits = try digitsValue.count()
        guard digits == 2 || digits == 3 else { throw digitsValue.error("expected 2 or 3") }
        var buckets: [Bucket] = []
        for pair in try document.member("buckets").elements() {
            let parts = try pair.elements()
            guard parts.count == 2 else { throw pair.error("expected [value, count]") }
            buckets.append(Bucket(value: try parts[0].unsigned(), count: try parts[1].unsigned()))
        }
        self.init(digits: digits, buckets: buckets, max: try document.optionalMember("max")?.unsigned())
    }
}

extension LoadSecond {
    var json: JSONValue {
        guard case .object(var object) = counts.json else { preconditionFailure("counts are an object") }
        object.members.insert((key: "t", value: .integer(second)), at: 0)
        object["round_trip_us"] = roundTrips.json
        object["pacing_error_us"] = pacingErrors.json
        return .object(object)
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        self.init(
            second: try document.member("t").count(), counts: try LoadCounts(document),
            roundTrips: try LoadHistogram(document.member("round_trip_us")),
            pacingErrors: try LoadHistogram(document.member("pacing_error_us"))
        )
    }
}
