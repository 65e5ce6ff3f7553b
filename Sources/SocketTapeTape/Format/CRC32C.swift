import CSocketTapeShims

/// CRC-32C (Castagnoli, reflected polynomial `0x82F63B78`), the checksum of every tape record.
///
/// Written by hand because no package on this machine offers CRC-32C (zlib's `crc32` is the
/// IEEE polynomial, and swift-nio / Foundation expose no checksum). The CPU's CRC-32C
/// instruction (SSE4.2, AArch64 CRC) is used where present, through the `CSocketTapeShims`
/// shim: it is an order of magnitude faster than tables, which matters when large messages are
/// recorded. Elsewhere, slice-by-8: eight 256-entry tables let the loop consume eight bytes per
/// step. Check value: `"123456789"` → `0xE3069283`.
enum CRC32C {
    /// Whether ``checksum(_:)`` uses the CPU's instruction.
    static let usesHardware = sockettape_crc32c_hardware_available() != 0

    /// The eight lookup tables, flattened: table `k` is `tables[k * 256 ..< (k + 1) * 256]`.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard usesHardware, let base = bytes.baseAddress else { return softwareChecksum(bytes) }
        return ~sockettape_crc32c_hardware(0xFFFF_FFFF, base, bytes.count)
    }

    /// The CRC-32C of `bytes`, computed with tables (the fallback, and the reference in tests).
    static func softwareChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { table in
            var crc: UInt32 = 0xFFFF_FFFF
            var index = 0
            let count = bytes.count
            while count - index >= 8 {
                let low = crc ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian
                let high = bytes.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                crc = table[7 * 256 + Int(low & 0xFF)]
                    ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)]
                    ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)]
                    ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)]
                    ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                crc = (crc >> 8) ^ table[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
                index += 1
            }
            return ~crc
        }
    }
}
