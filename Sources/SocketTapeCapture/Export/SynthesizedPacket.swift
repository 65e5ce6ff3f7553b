import NIOCore

/// One packet of a synthesised capture: a raw IPv4 or IPv6 datagram and when it crossed.
public struct SynthesizedPacket: Sendable, Equatable {
    /// The wall-clock time of the record the packet was made from, microseconds since the Unix epoch.
    public var wallMicros: Int64
    /// The IP datagram (IP header, TCP header, payload), as `LINKTYPE_RAW` stores it.
    public var bytes: ByteBuffer

    public init(wallMicros: Int64, bytes: ByteBuffer) {
        self.wallMicros = wallMicros
        self.bytes = bytes
    }
}
