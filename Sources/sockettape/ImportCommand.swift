#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SocketTapeTape

/// `sockettape import`: JSON Lines, HAR (``importHAR()``) or a packet capture (``importCapture()``) into a tape.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Build a tape from JSON Lines (as written by export, or edited by hand), a HAR document or a packet capture (pcap, pcapng).",
        discussion: """
            jsonl: a line that cannot be read stops the import with its line number; no partial tape is left behind.
            har: a document that cannot be read stops the import naming the entry; no tape is written.
            pcap: TCP is reassembled and HTTP/1.x, WebSocket (permessage-deflate too) and Socket.io are decoded \
            as the proxy records them; what the capture missed is recorded as capture-gap policy records and \
            summarised. TLS cannot be decoded without its keys.
            """
    )

    @Argument(help: "The input file.")
    var input: String

    @Option(help: "Input format: jsonl, har, pcap (pcap and pcapng files).")
    var format: InterchangeFormat

    @Option(name: .shortAndLong, help: "The tape to write.")
    var output: String

    @Option(help: "pcap: decode only connections to or from this server port (repeatable; default: every TCP connection). Also tells client from server when a connection's start was not captured.")
    var port: [UInt16] = []

    @OptionGroup(title: "Recording (har, pcap)")
    var recording: RecordingArguments

    func validate() throws {
        if format != .pcap, !port.isEmpty { throw ValidationError("--port applies to --format pcap only") }
    }

    func run() throws {
        FreedHeapMemory.keepForBatchWork()
        if format == .pcap { return try importCapture() }
        if format == .har { return try importHAR() }
        let data = try inputBytes()
        var records: [TapeRecord] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: line, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            do {
                records.append(try JSONLines.decode(text, lineNumber: lineNumber))
            } catch {
                throw ValidationError("\(input): \(error)")
            }
        }
        try writeTape(records)
        print("imported \(records.count) record(s) into \(output)")
    }

    /// The input file's bytes.
    func inputBytes() throws -> [UInt8] {
        switch FileContents.read(input) {
        case .success(let bytes): return bytes
        case .failure(let error): throw ValidationError("\(input): cannot read the file: \(error)")
        }
    }

    /// Writes `records` to the output tape, its start being the one the records imply.
    func writeTape(_ records: [TapeRecord]) throws {
        let tape = try openTape(startingAt: records.first?.time)
        try writingTape {
            try tape.append(contentsOf: records)
            try tape.close()
        }
    }

    /// Creates the output tape. Its start is the one a first record at `first` implies (its wall
    /// time less its offset); now when there is none.
    func openTape(startingAt first: RecordTime?) throws -> TapeFileWriter {
        let start = first.map { $0.wallMicros - Int64($0.offsetNanos / 1000) } ?? TapeClock().startWallMicros
        do {
            return try TapeFileWriter(path: output, clock: TapeClock(startWallMicros: start))
        } catch {
            throw ValidationError("-o \(output): \(error)")
        }
    }

    /// Runs `body`, which writes the output tape; a write error names the tape and leaves no
    /// partial tape behind (a device or pipe given as `-o` is left alone).
    func writingTape<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as TapeIOError {
            var status = stat()
            if lstat(output, &status) == 0, status.st_mode & S_IFMT == S_IFREG { unlink(output) }
            throw ValidationError("-o \(output): \(error)")
        }
    }
}
