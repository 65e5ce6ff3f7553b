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

    Benchmark(
        "TapeReader + JSONLines.encode: 100k 64 B messages",
        closure: { benchmark, path in
            let clock = ContinuousClock()
            let start = clock.now
            // As `export` does: lines appended to one reused buffer, handed on every 64 KiB.
            var lines: [UInt8] = []
            lines.reserveCapacity(1 << 17)
            let count = readTape(path) { record in
                JSONLines.encode(record, appendingTo: &lines)
                if lines.count >= 1 << 16 {
                    blackHole(lines)
                    lines.removeAll(keepingCapacity: true)
                }
            }
            benchmark.measurement(recordsPerSecond, rate(count, start.duration(to: clock.now)))
        },
        setup: { try writtenTape() },
        teardown: { removeTemporaryDirectory() }
    )

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
/// JSON-like text payload, 1 ms apart.
func messageRecords(count: Int) -> [TapeRecord] {
    (0..<count).map { index in
        var text = #"{"type":"tick","seq":\#(index),"price":\#(100 + index % 997).25,"pad":""#
        text += String(repeating: "x", count: max(64 - text.utf8.count - 2, 0)) + #""}"#
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
}

/// Writes a tape of ``recordCount`` message records and returns its path.
func writtenTape() throws -> String {
    let path = temporaryPath("read.tape")
    let writer = try TapeWriter(path: path, clock: TapeClock(startWallMicros: startWallMicros))
    writer.append(contentsOf: messageRecords(count: recordCount))
    try writer.close()
    precondition(writer.statistics.recordsDropped == 0, "the writer dropped records")
    return path
}

/// Reads every record of the tape at `path`, handing each to `body`; returns how many there were.
@inline(never)
func readTape(_ path: String, _ body: (TapeRecord) -> Void) -> Int {
    var count = 0
    do {
        var reader = try TapeReader(path: path)
        while let record = try reader.next() {
            body(record)
            count += 1
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
