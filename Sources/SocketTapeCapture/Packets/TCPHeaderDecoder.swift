import NIOCore

/// Reads the TCP header and slices the payload out of the packet buffer.
enum TCPHeaderDecoder {
    static func segment(
        in packet: ByteBuffer, _ tcp: TCPInIP, wallMicros: Int64
    ) throws(PacketSkipReason) -> TCPSegment {
        let minimumHeaderLength = 20
        guard tcp.length >= minimumHeaderLength else { throw .badHeaderLength(.tcp) }
        guard tcp.offset + minimumHeaderLength <= packet.writerIndex else { throw .truncatedHeader(.tcp) }
        let headerLength = Int(packet.headerField(at: tcp.offset + 12, as: UInt8.self)! >> 4) * 4
        guard headerLength >= minimumHeaderLength, headerLength <= tcp.length else { throw .badHeaderLength(.tcp) }
        guard tcp.offset + headerLength <= packet.writerIndex else { throw .truncatedHeader(.tcp) }

        let payloadStart = tcp.offset + headerLength
        let payloadLength = tcp.length - headerLength
        let capturedLength = min(payloadLength, packet.writerIndex - payloadStart)
        let flagBits: UInt8 = 0x1F  // FIN, SYN, RST, PSH, ACK
        return TCPSegment(
            source: IPEndpoint(packedAddress: tcp.sourceAddress, port: packet.headerField(at: tcp.offset, as: UInt16.self)!),
            destination: IPEndpoint(
                packedAddress: tcp.destinationAddress, port: packet.headerField(at: tcp.offset + 2, as: UInt16.self)!
            ),
            sequenceNumber: packet.headerField(at: tcp.offset + 4, as: UInt32.self)!,
            acknowledgmentNumber: packet.headerField(at: tcp.offset + 8, as: UInt32.self)!,
            flags: TCPFlags(rawValue: packet.headerField(at: tcp.offset + 13, as: UInt8.self)! & flagBits),
            payload: packet.getSlice(at: payloadStart, length: capturedLength)!,
            truncatedBytes: UInt32(payloadLength - capturedLength),
            wallMicros: wallMicros
        )
    }
}
