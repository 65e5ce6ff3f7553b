import Testing

@testable import SocketTapeTape

@Suite struct CRC32CTests {
    private func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes(CRC32C.checksum)
    }

    private func softwareCRC(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes(CRC32C.softwareChecksum)
    }

    @Test func checkValue() {
        #expect(crc(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// RFC 3720 (iSCSI) appendix B.4 test vectors.
    @Test func rfc3720Vectors() {
        #expect(crc([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(crc([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(crc(Array(0...31)) == 0x46DD_794E)
        #expect(crc(Array((0...31).reversed())) == 0x113F_DB5C)
    }

    @Test func emptyAndUnalignedLengths() {
        #expect(crc([]) == 0)
        // The 8-byte loop and the byte loop must agree on every split.
        let bytes = Array(0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        for count in 0...bytes.count {
            let slow = bytes[..<count].reduce(UInt32(0xFFFF_FFFF)) { crc, byte in
                (0..<8).reduce(crc ^ UInt32(byte)) { c, _ in (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            #expect(crc(Array(bytes[..<count])) == ~slow)
        }
    }

    /// The CPU instruction path (when this machine has one; three interleaved chains from 384
    /// bytes on x86-64) and the tables agree on every length and alignment, so tapes written on one machine verify on any other.
    @Test func hardwareAndTablesAgree() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4099).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for count in [0, 1, 7, 8, 9, 63, 64, 65, 383, 384, 385, 767, 768, 769, 1000, 2048, 4090] {
                let slice = Array(bytes[start..<(start + count)])
                #expect(crc(slice) == softwareCRC(slice))
            }
        }
        #expect(softwareCRC(Array("123456789".utf8)) == 0xE306_9283)
    }
}
