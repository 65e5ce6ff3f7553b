import ArgumentParser
import SocketTapeTape
import SocketTapeWire

/// What goes on a tape and how sessions are decoded, the same for every way traffic is recorded:
/// `proxy`, `capture` and `import --format pcap`.
struct RecordingArguments: ParsableArguments {
    @Option(help: "Also redact this header's value on the tape (repeatable). Authorization, Cookie and Set-Cookie always are, unless --no-redact.")
    var redact: [String] = []

    @Flag(help: "Record header values and Socket.IO CONNECT auth payloads as they are, secrets included (a replay may need them).")
    var noRedact = false

    @Option(help: "Which sessions to decode as Socket.io: auto (requests with EIO= in the query), always, never.")
    var socketio: SocketIODetection = .auto

    /// The header redaction the flags ask for.
    var headerRedaction: HeaderRedaction {
        noRedact ? .none : HeaderRedaction(names: HeaderRedaction.defaultNames + redact)
    }

    /// Whether Socket.IO CONNECT auth values are redacted.
    var redactsSocketIOAuth: Bool { !noRedact }
}

extension SocketIODetection: ExpressibleByArgument {}
extension TapeWriterBackpressure: ExpressibleByArgument {}
