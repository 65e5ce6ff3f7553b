import NIOCore

/// Builds raw IP datagrams carrying one TCP segment (RFC 791 / RFC 8200 and RFC 9293), checksums
/// included, for a synthesised capture.
///
/// IPv4 packets have no options, the Don't Fragment bit, identification 0 and TTL 64; IPv6 packets
/// have no extension headers and hop limit 64. TCP headers carry options only when asked (the MSS
/// option on SYNs); the window is fixed at ``window`` (no window scaling).
enum TCPPacketBuilder {
    /// The receive window every segment advertises.
    static let window: UInt16 = 65535

    /// The IP protocol number of TCP.
    private static let tcpProtocol: UInt8 = 6

    /// One segment from `source` to `destination`.
    ///
    /// - Parameters:
    ///   - maximumSegmentSize: When given, the segment carries the MSS option (for SYN and SYN-ACK).
    ///   - payload: The segment's data (its readable bytes).
    /// - Returns: The datagram's bytes.
    static func segment(
        from source: IPEndpoint,
        to destination: IPEndpoint,
        sequenceNumber: UInt32,
        acknowledgmentNumber: UInt32,
        flags: TCPFlags,
        maximumSegmentSize: UInt16? = nil,
        payload: ByteBuffer = ByteBuffer()
    ) -> ByteBuffer {
        precondition(source.isIPv6 == destination.isIPv6, "both ends of a segment have the same IP version")
        let tcpHeaderLength = 20 + (maximumSegmentSize == nil ? 0 : 4)
        let tcpLength = tcpHeaderLength + payload.readableBytes
        var packet = ByteBufferAllocator().buffer(capacity: 40 + tcpLength)
        writeIPHeader(from: source, to: destination, tcpLength: tcpLength, into: &packet)
        let tcpStart = packet.writerIndex
        packet.writeInteger(source.port)
        packet.writeInteger(destination.port)
        packet.writeInteger(sequenceNumber)
        packet.writeInteger(acknowledgmentNumber)
        packet.writeInteger(UInt8(tcpHeaderLength / 4) << 4)
        packet.writeInteger(flags.rawValue)
        packet.writeInteger(window)
        packet.writeInteger(UInt16(0))  // checksum, set below
        packet.writeInteger(UInt16(0))  // urgent pointer
        if let maximumSegmentSize {
            packet.writeInteger(UInt8(2))  // kind: maximum segment size
            packet.writeInteger(UInt8(4))
            packet.writeInteger(maximumSegmentSize)
        }
        packet.writeImmutableBuffer(payload)
        var checksum = InternetChecksum()
        checksum.add(pseudoHeader(from: source, to: destination, tcpLength: tcpLength))
        checksum.add(packet.getSlice(at: tcpStart, length: tcpLength)!)
        packet.setInteger(checksum.value, at: tcpStart + 16)
        return packet
    }

    private static func writeIPHeader(from source: IPEndpoint, to destination: IPEndpoint, tcpLength: Int, into packet: inout ByteBuffer) {
        if source.isIPv6 {
            packet.writeInteger(UInt32(6) << 28)  // version 6, traffic class 0, flow label 0
            packet.writeInteger(UInt16(tcpLength))
            packet.writeInteger(tcpProtocol)  // next header
            packet.writeInteger(UInt8(64))  // hop limit
            packet.writeBytes(source.address)
            packet.writeBytes(destination.address)
        } else {
            let start = packet.writerIndex
            packet.writeInteger(UInt8(0x45))  // version 4, header length 5 words
            packet.writeInteger(UInt8(0))  // DSCP, ECN
            packet.writeInteger(UInt16(20 + tcpLength))
            packet.writeInteger(UInt16(0))  // identification
            packet.writeInteger(UInt16(0x4000))  // Don't Fragment, offset 0
            packet.writeInteger(UInt8(64))  // TTL
            packet.writeInteger(tcpProtocol)
            packet.writeInteger(UInt16(0))  // header checksum, set below
            packet.writeBytes(source.address)
            packet.writeBytes(destination.address)
            var checksum = InternetChecksum()
            checksum.add(packet.getSlice(at: start, length: 20)!)
            packet.setInteger(checksum.value, at: start + 10)
        }
    }

    /// The pseudo-header the TCP checksum covers (RFC 9293 §3.1, RFC 8200 §8.1).
    private static func pseudoHeader(from source: IPEndpoint, to destination: IPEndpoint, tcpLength: Int) -> [UInt8] {
        let length = UInt32(tcpLength)
        let lengthBytes: [UInt8] = source.isIPv6
            ? [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), 0, 0, 0, tcpProtocol]
            : [0, tcpProtocol, UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        return source.address + destination.address + lengthBytes
    }
}
