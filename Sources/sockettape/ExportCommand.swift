import ArgumentParser
import Foundation
import SocketTapeTape

/// The interchange formats `export` and `import` speak.
enum InterchangeFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl
}

/// `sockettape export`: a tape as JSON Lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a tape to JSON Lines (one record per line, the interchange format).",
        discussion: """
            Messages of Socket.io sessions also carry their decoded Engine.IO and Socket.IO packets \
            (eio, sio; eio_error or sio_error when they do not decode). A damaged tail is reported \
            on stderr; every whole record before it is exported.
            """
    )

    @Argument(help: "The tape file.")
    var tape: String

    @Option(help: "Output format: jsonl.")
    var format: InterchangeFormat

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Flag(help: "Include one line per WebSocket frame (kind \"frame\").")
    var frames = false

    func run() throws {
        var reader = try TapeInput.open(tape)
        let sink = try LineSink(path: output)
        // Socket.io sessions' messages get their decoded packets (eio, sio) at the end of the line.
        var annotator = SocketIOAnnotator()
        while let record = try reader.next(follow: false) {
            if case .frame = record.body, !frames { continue }
            let socketIO = annotator.annotate(record)
            sink.write { JSONLines.encode(record, socketIO: socketIO, appendingTo: &$0) }
        }
        try sink.close()
        TapeInput.reportDamage(of: reader, path: tape)
    }
}

/// Buffered line output to a file or standard output.
final class LineSink {
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        buffer.reserveCapacity(1 << 17)
        guard let path else {
            handle = .standardOutput
            ownsHandle = false
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw ValidationError("-o \(path): cannot create the file")
        }
        handle = file
        ownsHandle = true
    }

    /// Lets `body` append whole lines (each ending in a newline) to the output buffer.
    func write(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= 1 << 16 { drain() }
    }

    private func drain() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        drain()
        if ownsHandle { try handle.close() }
    }
}
