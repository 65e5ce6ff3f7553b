import ArgumentParser
import SocketTapeTape

/// The interchange formats `export` and `import` speak.
enum InterchangeFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case pcap
    case har
}

/// `sockettape export`: a tape as JSON Lines (or HAR, ``exportHAR()``).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Convert a tape to JSON Lines (one record per line, the interchange format), HAR or a pcap capture.",
        discussion: """
            Messages of Socket.io sessions also carry their decoded Engine.IO and Socket.IO packets \
            (eio, sio; eio_error or sio_error when they do not decode). A damaged tail is reported \
            on stderr; every whole record before it is exported.

            --format pcap writes synthesised TCP/IP packets (one connection per WebSocket session, \
            per long-polling exchange and per upgrade) with the recorded times, for Wireshark and \
            tshark; policy and gap records have no wire form and are left out (counted on stderr). \
            Without -o it goes to standard output, unless that is a terminal.
            """
    )

    @Argument(help: "The tape file.")
    var tape: String

    @Option(help: "Output format: jsonl, har or pcap.")
    var format: InterchangeFormat

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Flag(help: "Include one line per WebSocket frame (kind \"frame\"; jsonl).")
    var frames = false

    func run() throws {
        if format == .pcap { return try exportPcap() }
        if format == .har { return try exportHAR() }
        var reader = try TapeInput.open(tape)
        let sink = try LineSink(path: output)
        // Socket.io sessions' messages get their decoded packets (eio, sio) at the end of the line.
        var annotator = SocketIOAnnotator()
        while let record = try reader.next(follow: false) {
            if case .frame = record.body, !frames { continue }
            let socketIO = annotator.annotate(record)
            try sink.write { JSONLines.encode(record, socketIO: socketIO, appendingTo: &$0) }
        }
        try sink.close()
        TapeInput.reportDamage(of: reader, path: tape)
    }
}
