import NIOCore

@testable import SocketTapeCapture

/// The fields of a synthesised IPv4 or IPv6 TCP packet the tests look at, read straight from its bytes.
struct DecodedSegment: Equatable, CustomStringConvertible {
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequenceNumber: UInt32
    var acknowledgmentNumber: UInt32
    var flags: UInt8
    var payload: [UInt8]

    init(_ packet: SynthesizedPacket) {
        let bytes = Array(buffer: packet.bytes)
        let tcp = bytes[0] >> 4 == 6 ? 40 : Int(bytes[0] & 0x0F) * 4
        func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1]) }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) << 16 | UInt32(u16(at + 2)) }
        sourcePort = u16(tcp)
        destinationPort = u16(tcp + 2)
        sequenceNumber = u32(tcp + 4)
        acknowledgmentNumber = u32(tcp + 8)
        flags = bytes[tcp + 13]
        payload = Array(bytes[(tcp + Int(bytes[tcp + 12] >> 4) * 4)...])
    }

    init(_ sourcePort: UInt16, _ destinationPort: UInt16, seq: UInt32, ack: UInt32, flags: TCPFlags, payloadCount: Int = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        sequenceNumber = seq
        acknowledgmentNumber = ack
        self.flags = flags.rawValue
        payload = Array(repeating: 0, count: payloadCount)
    }

    /// The same segment with its payload replaced by zeros of the same length (to compare headers only).
    var blanked: DecodedSegment {
        var copy = self
        copy.payload = Array(repeating: 0, count: payload.count)
        return copy
    }

    var description: String {
        "\(sourcePort)→\(destinationPort) seq \(sequenceNumber) ack \(acknowledgmentNumber) flags \(flags) len \(payload.count)"
    }
}
