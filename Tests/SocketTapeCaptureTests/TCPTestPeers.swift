import NIOCore
import SocketTapeCapture

/// A client and a server endpoint, and segments between them, for reassembly tests.
struct TCPTestPeers {
    var client = IPEndpoint(address: [10, 0, 0, 1], port: 51000)
    var server = IPEndpoint(address: [10, 0, 0, 2], port: 8080)

    /// A segment sent in `direction`; a non-nil `ack` sets the ACK flag.
    func segment(
        _ direction: TCPDirection, seq: UInt32, ack: UInt32? = nil, flags: TCPFlags = [], _ text: String = "",
        truncated: UInt32 = 0, at wallMicros: Int64 = 0
    ) -> TCPSegment {
        TCPSegment(
            source: direction == .clientToServer ? client : server,
            destination: direction == .clientToServer ? server : client,
            sequenceNumber: seq,
            acknowledgmentNumber: ack ?? 0,
            flags: ack == nil ? flags : flags.union(.ack),
            payload: ByteBuffer(string: text),
            truncatedBytes: truncated,
            wallMicros: wallMicros
        )
    }
}

extension TCPReassembler {
    /// Processes `segments` (and `finish`, when `finishAt` is given) and returns the events as text.
    mutating func run(_ segments: [TCPSegment], finishAt finishMicros: Int64? = nil) -> [String] {
        var events: [TCPStreamEvent] = []
        for segment in segments { process(segment, into: &events) }
        if let finishMicros { finish(wallMicros: finishMicros, into: &events) }
        return events.map(\.testDescription)
    }
}

extension TCPStreamEvent {
    /// One line per event, exact bytes as text: `data 1 c>s "abc" @3`.
    var testDescription: String {
        switch self {
        case .opened(let id, let client, let server, let handshakeSeen, let wallMicros):
            "opened \(id.rawValue) \(client) -> \(server) \(handshakeSeen ? "handshake" : "mid-stream") @\(wallMicros)"
        case .data(let id, let direction, let bytes, let wallMicros):
            "data \(id.rawValue) \(direction.arrow) \"\(String(buffer: bytes))\" @\(wallMicros)"
        case .gap(let id, let direction, let byteCount, let wallMicros):
            "gap \(id.rawValue) \(direction.arrow) \(byteCount) @\(wallMicros)"
        case .closed(let id, let direction, let reset, let wallMicros):
            "closed \(id.rawValue) \(direction.arrow) \(reset ? "rst" : "fin") @\(wallMicros)"
        case .unfinished(let id, let wallMicros):
            "unfinished \(id.rawValue) @\(wallMicros)"
        }
    }
}

extension TCPDirection {
    var arrow: String { self == .clientToServer ? "c>s" : "s>c" }
}
