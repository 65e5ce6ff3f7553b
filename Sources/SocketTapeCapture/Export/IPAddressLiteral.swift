#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// IPv4 and IPv6 address literals, and the stable made-up addresses a synthesised capture gives
/// hosts that are named rather than numbered.
enum IPAddressLiteral {
    /// The bytes of a dotted-quad IPv4 or an IPv6 literal (without brackets); `nil` for anything else.
    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// A stable address for a host name (or an address of the other IP version): from the
    /// 198.18.0.0/15 benchmarking range (RFC 2544) for IPv4, from 2001:db8::/32 (RFC 3849,
    /// documentation) for IPv6, chosen by an FNV-1a hash of `name`. The same name always gets the
    /// same address.
    static func madeUp(for name: String, ipv6: Bool) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let bytes = withUnsafeBytes(of: hash.bigEndian) { Array($0) }
        if ipv6 {
            return [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 4) + bytes
        }
        return [198, 18 | (bytes[0] & 1), bytes[1], bytes[2]]
    }

    /// `address` as the IP version the other end of its connection uses: an IPv4 address becomes its
    /// IPv4-mapped IPv6 form (`::ffff:a.b.c.d`); an IPv6 address gets a made-up IPv4 address.
    static func converted(_ address: [UInt8], toIPv6 ipv6: Bool) -> [UInt8] {
        switch (address.count == 16, ipv6) {
        case (false, true): [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + address
        case (true, false): madeUp(for: address.map { String($0, radix: 16) }.joined(separator: ":"), ipv6: false)
        default: address
        }
    }
}
