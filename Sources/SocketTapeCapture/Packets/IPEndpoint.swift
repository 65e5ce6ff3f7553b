/// One end of a TCP connection: an IPv4 or IPv6 address and a port.
///
/// The address is held inline, not as an array: decoding a packet makes two endpoints and
/// reassembly hashes them for every segment.
public struct IPEndpoint: Sendable, Hashable, CustomStringConvertible {
    let packedAddress: PackedIPAddress
    public var port: UInt16

    public init(address: [UInt8], port: UInt16) {
        self.init(packedAddress: PackedIPAddress(bytes: address), port: port)
    }

    init(packedAddress: PackedIPAddress, port: UInt16) {
        self.packedAddress = packedAddress
        self.port = port
    }

    /// The address bytes in network order: 4 for IPv4, 16 for IPv6.
    public var address: [UInt8] { packedAddress.bytes }

    public var isIPv6: Bool { packedAddress.isIPv6 }

    /// `host:port`, with IPv6 hosts in brackets (`[::1]:3000`), as the tape's `client` field writes them.
    public var description: String {
        isIPv6 ? "[\(Self.ipv6Text(address))]:\(port)" : "\(address.map(String.init).joined(separator: ".")):\(port)"
    }

    /// RFC 5952 text: lowercase hex groups, the longest run of two or more zero groups as `::`.
    private static func ipv6Text(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best: (start: Int, length: Int) = (-1, 0)
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > best.length { best = (index, end - index) }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return "\(head)::\(tail)"
    }
}
