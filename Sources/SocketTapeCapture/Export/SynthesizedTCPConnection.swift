import NIOCore

/// One TCP connection of a synthesised capture, with sequence and acknowledgment numbers that a
/// capture analyser accepts without warnings.
///
/// The connection opens with SYN / SYN-ACK / ACK (both SYNs carry the MSS option), sends data in
/// segments of at most ``maximumSegmentSize`` bytes (ACK on every segment, PSH on the last of a
/// write), and has the receiver acknowledge every ``segmentsPerAcknowledgment`` segments and at
/// the end of each write with a pure ACK, so no more than 16 segments are ever in flight (well
/// inside the fixed 65535-byte window). It ends with FIN/ACK both ways and a last ACK, or with one
/// RST.
struct SynthesizedTCPConnection {
    let client: IPEndpoint
    let server: IPEndpoint
    let maximumSegmentSize: Int
    /// The next sequence number each side sends.
    private var clientNext: UInt32
    private var serverNext: UInt32

    /// How many data segments one side sends before the other acknowledges them.
    static let segmentsPerAcknowledgment = 16

    init(client: IPEndpoint, server: IPEndpoint, clientInitialSequence: UInt32, serverInitialSequence: UInt32, maximumSegmentSize: Int) {
        precondition(maximumSegmentSize > 0 && maximumSegmentSize <= Int(UInt16.max))
        self.client = client
        self.server = server
        self.maximumSegmentSize = maximumSegmentSize
        self.clientNext = clientInitialSequence
        self.serverNext = serverInitialSequence
    }

    /// The three-way handshake.
    mutating func open(at wallMicros: Int64) -> [SynthesizedPacket] {
        let mss = UInt16(maximumSegmentSize)
        var packets = [packet(.clientToServer, flags: .syn, maximumSegmentSize: mss, at: wallMicros)]
        clientNext &+= 1
        packets.append(packet(.serverToClient, flags: [.syn, .ack], maximumSegmentSize: mss, at: wallMicros))
        serverNext &+= 1
        packets.append(packet(.clientToServer, flags: .ack, at: wallMicros))
        return packets
    }

    /// `data` sent one way, in segments, acknowledged by the other side.
    mutating func send(_ data: ByteBuffer, from direction: TCPDirection, at wallMicros: Int64) -> [SynthesizedPacket] {
        guard data.readableBytes > 0 else { return [] }
        var remaining = data
        var packets: [SynthesizedPacket] = []
        var unacknowledged = 0
        while remaining.readableBytes > 0 {
            let chunk = remaining.readSlice(length: min(maximumSegmentSize, remaining.readableBytes))!
            let last = remaining.readableBytes == 0
            packets.append(packet(direction, flags: last ? [.ack, .psh] : .ack, payload: chunk, at: wallMicros))
            advance(direction, by: chunk.readableBytes)
            unacknowledged += 1
            if last || unacknowledged == Self.segmentsPerAcknowledgment {
                packets.append(packet(direction.reversed, flags: .ack, at: wallMicros))
                unacknowledged = 0
            }
        }
        return packets
    }

    /// An orderly close that `direction`'s sender starts: FIN/ACK, FIN/ACK back, ACK.
    mutating func close(from direction: TCPDirection, at wallMicros: Int64) -> [SynthesizedPacket] {
        var packets = [packet(direction, flags: [.fin, .ack], at: wallMicros)]
        advance(direction, by: 1)
        packets.append(packet(direction.reversed, flags: [.fin, .ack], at: wallMicros))
        advance(direction.reversed, by: 1)
        packets.append(packet(direction, flags: .ack, at: wallMicros))
        return packets
    }

    /// An abort: one RST (with ACK) from `direction`'s sender.
    func reset(from direction: TCPDirection, at wallMicros: Int64) -> [SynthesizedPacket] {
        [packet(direction, flags: [.rst, .ack], at: wallMicros)]
    }

    private mutating func advance(_ direction: TCPDirection, by count: Int) {
        switch direction {
        case .clientToServer: clientNext &+= UInt32(count)
        case .serverToClient: serverNext &+= UInt32(count)
        }
    }

    /// A segment from `direction`'s sender at its next sequence number, acknowledging all the other side sent
    /// (a SYN acknowledges nothing).
    private func packet(
        _ direction: TCPDirection, flags: TCPFlags, maximumSegmentSize: UInt16? = nil, payload: ByteBuffer = ByteBuffer(), at wallMicros: Int64
    ) -> SynthesizedPacket {
        let fromClient = direction == .clientToServer
        let bytes = TCPPacketBuilder.segment(
            from: fromClient ? client : server,
            to: fromClient ? server : client,
            sequenceNumber: fromClient ? clientNext : serverNext,
            acknowledgmentNumber: flags.contains(.ack) ? (fromClient ? serverNext : clientNext) : 0,
            flags: flags,
            maximumSegmentSize: maximumSegmentSize,
            payload: payload
        )
        return SynthesizedPacket(wallMicros: wallMicros, bytes: bytes)
    }
}

extension TCPDirection {
    /// The other way.
    var reversed: TCPDirection {
        self == .clientToServer ? .serverToClient : .clientToServer
    }
}
