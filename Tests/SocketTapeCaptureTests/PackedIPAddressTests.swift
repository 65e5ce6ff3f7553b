import NIOCore
@testable import SocketTapeCapture
import Testing

/// The inline address behaves as the byte array it replaced: same bytes back, same equality,
/// lexicographic order.
@Suite struct PackedIPAddressTests {
    private static let samples: [[UInt8]] = [
        [127, 0, 0, 1], [10, 0, 0, 1], [10, 0, 0, 2], [255, 255, 255, 255], [0, 0, 0, 0],
        [UInt8](repeating: 0, count: 16), [UInt8](repeating: 0, count: 15) + [1],
        [10, 0, 0, 1] + [UInt8](repeating: 0, count: 12), [10, 0, 0, 1, 9] + [UInt8](repeating: 0, count: 11),
        [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], [UInt8](repeating: 0xFF, count: 16),
    ]

    @Test func givesTheSameBytesBack() {
        for bytes in Self.samples {
            #expect(IPEndpoint(address: bytes, port: 1).address == bytes)
        }
    }

    @Test func equalityAndOrderAreTheByteArrays() {
        for first in Self.samples {
            for second in Self.samples {
                let (a, b) = (PackedIPAddress(bytes: first), PackedIPAddress(bytes: second))
                #expect((a == b) == (first == second), "\(first) vs \(second)")
                #expect(a.precedes(b) == first.lexicographicallyPrecedes(second), "\(first) vs \(second)")
            }
        }
    }

    @Test func readsPacketBytesInNetworkOrder() {
        let bytes: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        let buffer = ByteBuffer(bytes: [0xAA] + bytes)
        #expect(PackedIPAddress(ipv6: buffer, at: 1) == PackedIPAddress(bytes: bytes))
        #expect(PackedIPAddress(ipv4: buffer, at: 1) == PackedIPAddress(bytes: Array(bytes[0..<4])))
    }
}
