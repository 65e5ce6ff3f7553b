import NIOCore

/// The TCP header flags SocketTape looks at.
public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
}

/// One captured TCP segment, decoded from its link-layer and IP headers.
public struct TCPSegment: Sendable, Equatable {
    public var source: IPEndpoint
    public var destination: IPEndpoint
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    public var flags: TCPFlags
    /// The TCP payload as captured (a view into the packet, not a copy).
    public var payload: ByteBuffer
    /// Payload bytes the segment carried on the wire but the capture cut off (snap length); they
    /// follow `payload` in sequence space and reassembly reports them as a gap.
    public var truncatedBytes: UInt32
    /// When the packet was captured, microseconds since the Unix epoch.
    public var wallMicros: Int64

    public init(
        source: IPEndpoint, destination: IPEndpoint, sequenceNumber: UInt32, acknowledgmentNumber: UInt32,
        flags: TCPFlags, payload: ByteBuffer, truncatedBytes: UInt32 = 0, wallMicros: Int64
    ) {
        self.source = source
        self.destination = destination
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.flags = flags
        self.payload = payload
        self.truncatedBytes = truncatedBytes
        self.wallMicros = wallMicros
    }
}
