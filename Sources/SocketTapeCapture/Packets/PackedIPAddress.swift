import NIOCore

/// An IPv4 or IPv6 address held inline (no heap storage): the bytes in network order, packed
/// big-endian from the top of `high` — an IPv4 address fills the upper 32 bits of `high`.
///
/// Equal exactly when the byte arrays are; ``precedes(_:)`` orders as the byte arrays'
/// lexicographic order does (a shorter address before a longer one it prefixes).
struct PackedIPAddress: Hashable, Sendable {
    let high: UInt64
    let low: UInt64
    let isIPv6: Bool

    /// - Precondition: `bytes` has 4 or 16 elements.
    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16, "an IP address has 4 or 16 bytes")
        var halves: (high: UInt64, low: UInt64) = (0, 0)
        for (index, byte) in bytes.enumerated() {
            let shift = UInt64(56 - 8 * (index % 8))
            if index < 8 { halves.high |= UInt64(byte) << shift } else { halves.low |= UInt64(byte) << shift }
        }
        (high, low, isIPv6) = (halves.high, halves.low, bytes.count == 16)
    }

    /// The IPv4 address at `offset` in `buffer`, which must hold its 4 bytes.
    init(ipv4 buffer: ByteBuffer, at offset: Int) {
        high = UInt64(buffer.headerField(at: offset, as: UInt32.self)!) << 32
        low = 0
        isIPv6 = false
    }

    /// The IPv6 address at `offset` in `buffer`, which must hold its 16 bytes.
    init(ipv6 buffer: ByteBuffer, at offset: Int) {
        high = buffer.headerField(at: offset, as: UInt64.self)!
        low = buffer.headerField(at: offset + 8, as: UInt64.self)!
        isIPv6 = true
    }

    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    var bytes: [UInt8] {
        (0..<(isIPv6 ? 16 : 4)).map { index in
            UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8)))
        }
    }

    /// Whether `self`'s bytes sort lexicographically before `other`'s.
    func precedes(_ other: PackedIPAddress) -> Bool {
        (high, low, isIPv6 ? 1 : 0) < (other.high, other.low, other.isIPv6 ? 1 : 0)
    }
}
