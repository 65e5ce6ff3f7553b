import NIOCore

/// One packet as libpcap delivered it, from a file or a live capture.
public struct CapturedPacket: Sendable, Equatable {
    /// The captured bytes, from the start of the link-layer header (its own buffer).
    public var bytes: ByteBuffer
    /// The packet's length on the wire; larger than ``capturedLength`` when the snap length cut it.
    public var wireLength: Int
    /// When the packet was captured, microseconds since the Unix epoch.
    public var wallMicros: Int64

    /// How many bytes were captured (pcap's `caplen`).
    public var capturedLength: Int { bytes.readableBytes }

    public init(bytes: ByteBuffer, wireLength: Int, wallMicros: Int64) {
        self.bytes = bytes
        self.wireLength = wireLength
        self.wallMicros = wallMicros
    }
}

extension PacketDecoder {
    /// Decodes a packet read from a file or a live capture whose link type is `linkType`.
    ///
    /// - Throws: why the packet is not a decodable TCP segment.
    public static func decode(_ packet: CapturedPacket, linkType: LinkType) throws(PacketSkipReason) -> TCPSegment {
        try decode(packet.bytes, linkType: linkType, wireLength: packet.wireLength, wallMicros: packet.wallMicros)
    }
}
