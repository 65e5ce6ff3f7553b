import Benchmark
import NIOCore
import SocketTapeTape

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records per second, computed from the measured work of one iteration (the built-in
/// `throughput` metric counts iterations, each of which handles a whole tape).
let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)

/// Records in each tape the benchmarks write or read.
let recordCount = 100_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, recordsPerSecond],
        maxDuration: .seconds(3),
        maxIterations: 50
    )

    Benchmark(
        "TapeWriter: append 100k 64 B messages + close",
        closure: { benchmark, fixture in
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let writer = try TapeWriter(path: fixture.path, clock: TapeClock(startWallMicros: startWallMicros))
                for record in fixture.records {
                    writer.append(record)
                }
                try writer.close()
                precondition(writer.statistics.recordsDropped == 0, "the writer dropped records")
            } catch {
                fatalError("cannot write \(fixture.path): \(error)")
            }
            benchmark.measurement(recordsPerSecond, rate(fixture.records.count, start.duration(to: clock.now)))
        },
        setup: { TapeFixture(records: messageRecords(count: recordCount), path: temporaryPath("write.tape")) },
        teardown: { removeTemporaryDirectory() }
    )

    // The JSONL export path, for a plain WebSocket tape and for a Socket.io one (decoded too).
    for socketIO in [false, true] {
        Benchmark(
            socketIO ? "TapeReader + JSONLines.encode: 100k Socket.IO events" : "TapeReader + JSONLines.encode: 100k 64 B messages",
            closure: { benchmark, path in
                let clock = ContinuousClock()
                let start = clock.now
                let count = exportTape(path)
                benchmark.measurement(recordsPerSecond, rate(count, start.duration(to: clock.now)))
            },
            setup: { try writtenTape(socketIO: socketIO) },
            teardown: { removeTemporaryDirectory() }
        )
    }

    // The two halves of the JSONL export, to tell which one limits it.
    Benchmark(
        "TapeReader alone: 100k 64 B messages",
        closure: { benchmark, path in
            let clock = ContinuousClock()
            let start = clock.now
            let count = readTape(path) { blackHole($0) }
            benchmark.measurement(recordsPerSecond, rate(count, start.duration(to: clock.now)))
        },
        setup: { try writtenTape() },
        teardown: { removeTemporaryDirectory() }
    )

    Benchmark(
        "JSONLines.encode alone: 100k 64 B messages",
        closure: { benchmark, records in
            let clock = ContinuousClock()
            let start = clock.now
            var lines: [UInt8] = []
            lines.reserveCapacity(1 << 17)
            for record in records {
                JSONLines.encode(record, appendingTo: &lines)
                if lines.count >= 1 << 16 {
                    blackHole(lines)
                    lines.removeAll(keepingCapacity: true)
                }
            }
            benchmark.measurement(recordsPerSecond, rate(records.count, start.duration(to: clock.now)))
        },
        setup: { messageRecords(count: recordCount) }
    )
}

/// The wall clock every fixture record counts from (2026-11-26T00:00:00Z).
let startWallMicros: Int64 = 1_795_651_200_000_000

struct TapeFixture: Sendable {
    var records: [TapeRecord]
    var path: String
}

/// `count` message records of one session, alternating client and server, each with a 64-byte
/// JSON-like text payload, 1 ms apart. With `socketIO`, the payloads are Socket.IO events in
/// Engine.IO message packets (`42["tick",{"seq":…}]`, 64 bytes) and an `open` record naming
/// Engine.IO 4 comes first (one record more).
func messageRecords(count: Int, socketIO: Bool = false) -> [TapeRecord] {
    let messages = (0..<count).map { index in
        var text = socketIO
            ? #"42["tick",{"seq":\#(index),"price":\#(100 + index % 997).25,"pad":""#
            : #"{"type":"tick","seq":\#(index),"price":\#(100 + index % 997).25,"pad":""#
        text += String(repeating: "x", count: max(64 - text.utf8.count - (socketIO ? 3 : 2), 0)) + (socketIO ? #""}]"# : #""}"#)
        let offset = UInt64(index) * 1_000_000
        return TapeRecord(
            session: "s-3f9a2c71",
            time: RecordTime(wallMicros: startWallMicros + Int64(offset / 1000), offsetNanos: offset),
            body: .message(
                MessageRecord(
                    from: index % 2 == 0 ? .client : .server,
                    opcode: 1,
                    payload: ByteBuffer(string: String(text.utf8.prefix(64))!),
                    frames: 1,
                    compressed: false
                )
            )
        )
    }
    guard socketIO else { return messages }
    let open = SessionOpen(
        client: "127.0.0.1:50000", transport: .websocket, upstream: "ws://127.0.0.1:3000",
        request: HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=websocket", headers: []),
        response: HTTPResponseRecord(status: 101, headers: []), engineIOVersion: 4
    )
    return [TapeRecord(session: "s-3f9a2c71", time: RecordTime(wallMicros: startWallMicros, offsetNanos: 0), body: .open(open))] + messages
}

/// Writes a tape of ``recordCount`` message records (Socket.IO events after an `open` record
/// with `socketIO`) and returns its path.
func writtenTape(socketIO: Bool = false) throws -> String {
    let path = temporaryPath("read.tape")
    let writer = try TapeWriter(path: path, clock: TapeClock(startWallMicros: startWallMicros))
    writer.append(contentsOf: messageRecords(count: recordCount, socketIO: socketIO))
    try writer.close()
    precondition(writer.statistics.recordsDropped == 0, "the writer dropped records")
    return path
}

/// What `export --format jsonl` does with the tape at `path`: every record through the
/// Socket.io annotator and the encoder, lines appended to one reused buffer that is handed on
/// every 64 KiB. Returns the number of message records.
@inline(never)
func exportTape(_ path: String) -> Int {
    var lines: [UInt8] = []
    lines.reserveCapacity(1 << 17)
    var annotator = SocketIOAnnotator()
    return readTape(path) { record in
        JSONLines.encode(record, socketIO: annotator.annotate(record), appendingTo: &lines)
        if lines.count >= 1 << 16 {
            blackHole(lines)
            lines.removeAll(keepingCapacity: true)
        }
    }
}

/// Reads every record of the tape at `path`, handing each to `body`; returns how many message
/// records there were.
@inline(never)
func readTape(_ path: String, _ body: (TapeRecord) -> Void) -> Int {
    var count = 0
    do {
        var reader = try TapeReader(path: path)
        while let record = try reader.next() {
            body(record)
            if case .message = record.body { count += 1 }
        }
        precondition(reader.sealed && reader.damage == nil, "the tape is damaged: \(String(describing: reader.damage))")
    } catch {
        fatalError("cannot read \(path): \(error)")
    }
    precondition(count == recordCount, "read \(count) of \(recordCount) records")
    return count
}

/// Items per second for `count` items done in `elapsed`.
func rate(_ count: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
}

// MARK: - Temporary files

/// The folder this process writes its tapes in, created on first use.
nonisolated(unsafe) private var temporaryDirectory: String?

func temporaryPath(_ name: String) -> String {
    if temporaryDirectory == nil {
        var template = Array("/tmp/sockettape-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("mkdtemp failed: errno \(errno)") }
        temporaryDirectory = String(cString: made)
    }
    return temporaryDirectory! + "/" + name
}

/// Removes the folder and every file the benchmarks wrote in it (the tapes and their segments).
func removeTemporaryDirectory() {
    guard let directory = temporaryDirectory, let handle = opendir(directory) else { return }
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name != "." && name != ".." {
            unlink(directory + "/" + name)
        }
    }
    closedir(handle)
    rmdir(directory)
    temporaryDirectory = nil
}
