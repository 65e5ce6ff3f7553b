import NIOCore
import SocketTapeTape
import SocketTapeWire

/// Turns tape records into the TCP/IP packets that would have carried them, for `export --format pcap`.
///
/// Feed it every record in tape order; each call returns the packets of that record, stamped with
/// its wall-clock time. Connections run between the recorded client and the upstream server
/// (``CaptureEndpoints``), as if the proxy were not there:
///
/// * A WebSocket session (`open` with transport websocket) is one connection: handshake, the
///   upgrade request and response (``HTTPMessageBytes``), then each message's frames
///   (``WebSocketMessageFramer``) when the message record comes, and the end at the `close` record:
///   FIN/ACK both ways from the side that closed (the server's side for the proxy), or a RST when the
///   close names a transport error.
/// * Each Engine.IO long-polling exchange (the polling `open`, every `http` record) and the
///   `upgrade` are connections of their own, with a fresh client port, closed by the client after
///   the response: the tape does not say which exchanges shared a keep-alive connection. After a
///   successful upgrade the WebSocket messages travel on the upgrade's connection. Polling messages
///   have no packets of their own: they are inside the `http` bodies.
/// * Compressed messages are re-deflated (``MessageDeflater``).
/// * `policy` and `gap` records have no wire form, nor do `frame`, `message` and `close` records of a
///   session without an open WebSocket connection (its `open` is not on the tape, or it is a
///   long-polling session, whose end is an Engine.IO packet inside a polling body): ``leftOut``
///   counts them.
///
/// Segments are at most ``maximumSegmentSize`` bytes (the Ethernet MSS); see ``SynthesizedTCPConnection``
/// for sequence numbers and acknowledgments.
public struct PcapSynthesizer {
    /// The largest TCP payload of a packet: 1460, Ethernet's MTU less IPv4 and TCP headers.
    public static let maximumSegmentSize = 1460

    /// The records that produced no packets.
    public private(set) var leftOut = LeftOutRecords()

    private var sessions: [String: SessionWireState] = [:]
    private var ports = ClientPortAllocator()
    /// The server of the latest `open` record: where HTTP exchanges outside a session went.
    private var lastServer: IPEndpoint?
    private var connectionCount: UInt32 = 0
    private var generatedKeys: UInt64 = 0

    public init() {}

    /// The packets of `record`.
    ///
    /// - Throws: When zlib cannot compress a message (out of memory).
    public mutating func packets(for record: TapeRecord) throws -> [SynthesizedPacket] {
        let time = record.time.wallMicros
        switch record.body {
        case .open(let open):
            return opened(open, session: record.session, at: time)
        case .http(let exchange):
            return httpExchange(exchange, session: record.session, at: time)
        case .upgrade(let upgrade):
            return upgraded(upgrade, session: record.session, at: time)
        case .frame(let frame):
            guard sessions[record.session]?.webSocket != nil else { return leaveOut("frame") }
            sessions[record.session]?.noteFrame(frame)
            return []
        case .message(let message):
            // A polling message crossed inside its http record's body.
            guard message.transport == .websocket else { return [] }
            return try sent(message, session: record.session, at: time)
        case .close(let close):
            return closed(close, session: record.session, at: time)
        case .policy:
            return leaveOut("policy")
        case .gap:
            return leaveOut("gap")
        }
    }

    private mutating func leaveOut(_ kind: String) -> [SynthesizedPacket] {
        leftOut.add(kind)
        return []
    }

    private mutating func opened(_ open: SessionOpen, session: String, at time: Int64) -> [SynthesizedPacket] {
        let client = CaptureEndpoints.client(open.client) ?? CaptureEndpoints.unknownClient
        var state = SessionWireState(client: client, server: CaptureEndpoints.server(upstream: open.upstream, client: client))
        lastServer = state.server
        var connection = newConnection(client: state.client, server: state.server)
        var packets = connection.open(at: time)
        packets += exchange(open.request, open.response, on: &connection, at: time)
        if open.transport == .websocket {
            if let response = open.response { state.noteHandshake(response) }
            state.webSocket = connection
        } else {
            packets += connection.close(from: .clientToServer, at: time)
        }
        sessions[session] = state
        return packets
    }

    private mutating func httpExchange(_ exchange: HTTPExchange, session: String, at time: Int64) -> [SynthesizedPacket] {
        let (client, server) = endpoints(of: session)
        var connection = newConnection(client: client, server: server)
        var packets = connection.open(at: time)
        packets += self.exchange(exchange.request, exchange.response, on: &connection, at: time)
        packets += connection.close(from: .clientToServer, at: time)
        return packets
    }

    /// The session's client and server; for an exchange outside any session, the made-up client and
    /// the server of the latest `open` record (in IPv4).
    private func endpoints(of session: String) -> (client: IPEndpoint, server: IPEndpoint) {
        if let state = sessions[session] { return (state.client, state.server) }
        guard let lastServer else { return (CaptureEndpoints.unknownClient, CaptureEndpoints.unknownServer) }
        let server = IPEndpoint(address: IPAddressLiteral.converted(lastServer.address, toIPv6: false), port: lastServer.port)
        return (CaptureEndpoints.unknownClient, server)
    }

    private mutating func upgraded(_ upgrade: TransportUpgrade, session: String, at time: Int64) -> [SynthesizedPacket] {
        guard var state = sessions[session] else { return leaveOut("upgrade") }
        var connection = newConnection(client: state.client, server: state.server)
        var packets = connection.open(at: time)
        packets += exchange(upgrade.request, upgrade.response, on: &connection, at: time)
        if upgrade.transport == .websocket, let response = upgrade.response, response.status == 101 {
            state.noteHandshake(response)
            state.webSocket = connection
        } else {
            packets += connection.close(from: .clientToServer, at: time)
        }
        sessions[session] = state
        return packets
    }

    private mutating func sent(_ message: MessageRecord, session: String, at time: Int64) throws -> [SynthesizedPacket] {
        guard var state = sessions[session], var connection = state.webSocket else { return leaveOut("message") }
        let recorded = state.takeFrames(of: message)
        var wirePayload = message.payload
        if message.compressed {
            let deflate = state.deflate ?? PerMessageDeflateParameters()
            wirePayload = try MessageDeflater.deflate(
                message.payload, windowBits: message.from == .client ? deflate.clientMaxWindowBits : deflate.serverMaxWindowBits
            )
        }
        generatedKeys &+= 1
        let frames = WebSocketMessageFramer.frames(
            of: message, recorded: recorded, wirePayload: wirePayload, fallbackMaskingKey: Self.maskingKey(generatedKeys)
        )
        let packets = connection.send(frames, from: message.from == .client ? .clientToServer : .serverToClient, at: time)
        state.webSocket = connection
        sessions[session] = state
        return packets
    }

    private mutating func closed(_ close: SessionClose, session: String, at time: Int64) -> [SynthesizedPacket] {
        guard var state = sessions[session], var connection = state.webSocket else { return leaveOut("close") }
        let direction: TCPDirection = close.by == .client ? .clientToServer : .serverToClient
        let packets = close.error == nil ? connection.close(from: direction, at: time) : connection.reset(from: direction, at: time)
        state.webSocket = nil
        sessions[session] = state
        return packets
    }

    /// The request, then the response when there is one.
    private func exchange(
        _ request: HTTPRequestRecord, _ response: HTTPResponseRecord?, on connection: inout SynthesizedTCPConnection, at time: Int64
    ) -> [SynthesizedPacket] {
        var packets = connection.send(HTTPMessageBytes.request(request), from: .clientToServer, at: time)
        if let response {
            packets += connection.send(HTTPMessageBytes.response(response), from: .serverToClient, at: time)
        }
        return packets
    }

    /// A connection from a fresh 4-tuple, with initial sequence numbers that differ per connection
    /// (and so stay stable from one export to the next).
    private mutating func newConnection(client: IPEndpoint, server: IPEndpoint) -> SynthesizedTCPConnection {
        connectionCount &+= 1
        let initial = connectionCount &* 0x9E37_79B1
        return SynthesizedTCPConnection(
            client: ports.claim(client, to: server), server: server,
            clientInitialSequence: initial, serverInitialSequence: ~initial,
            maximumSegmentSize: Self.maximumSegmentSize
        )
    }

    /// The `n`th masking key for client frames the tape has no record of (a stable sequence).
    private static func maskingKey(_ n: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (n &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }
}
