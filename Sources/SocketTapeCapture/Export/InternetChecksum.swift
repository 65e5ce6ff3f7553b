import NIOCore

/// The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit words.
struct InternetChecksum {
    private var sum: UInt64 = 0
    /// A byte left over from an odd-length chunk, waiting for its partner.
    private var pendingHighByte: UInt8?

    /// Adds `bytes` as if they followed what was added before.
    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            if let high = pendingHighByte {
                sum += UInt64(high) << 8 | UInt64(byte)
                pendingHighByte = nil
            } else {
                pendingHighByte = byte
            }
        }
    }

    /// Adds the readable bytes of `buffer`.
    mutating func add(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { add($0) }
    }

    /// The checksum of everything added (an odd last byte is padded with zero).
    var value: UInt16 {
        var total = sum + (pendingHighByte.map { UInt64($0) << 8 } ?? 0)
        while total >> 16 != 0 {
            total = (total & 0xFFFF) + (total >> 16)
        }
        return ~UInt16(total)
    }
}
