/// The header of a packet that ``PacketDecoder`` was reading when it gave up.
public enum PacketHeader: Sendable, Hashable, CustomStringConvertible {
    /// The link-layer header (Ethernet, VLAN tag, cooked capture, loopback family).
    case link
    case ipv4
    case ipv6
    /// An IPv6 extension header (hop-by-hop, routing, destination options, fragment).
    case ipv6Extension
    case tcp

    public var description: String {
        switch self {
        case .link: "link-layer"
        case .ipv4: "IPv4"
        case .ipv6: "IPv6"
        case .ipv6Extension: "IPv6 extension"
        case .tcp: "TCP"
        }
    }
}

/// What a link layer said the packet carries, when that is not IPv4 or IPv6.
public enum LinkProtocol: Sendable, Hashable, CustomStringConvertible {
    /// An EtherType (Ethernet, VLAN tags, Linux cooked captures): `0x0806` is ARP.
    case etherType(UInt16)
    /// A BSD loopback address family number (DLT_NULL, DLT_LOOP), as the decoder read it: for
    /// DLT_NULL in whichever byte order makes it a small number, for DLT_LOOP in network order.
    case addressFamily(UInt32)
    /// The version nibble of a raw IP packet.
    case ipVersion(UInt8)

    public var description: String {
        switch self {
        case .etherType(let value): "EtherType 0x\(String(UInt32(value) | 0x1_0000, radix: 16).dropFirst())"
        case .addressFamily(let value): "address family \(value)"
        case .ipVersion(let value): "IP version \(value)"
        }
    }
}

/// Why ``PacketDecoder`` did not turn a packet into a ``TCPSegment``.
public enum PacketSkipReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The capture's link type is not one the decoder reads (see ``LinkType``).
    case unsupportedLinkType(LinkType)
    /// The link layer carries something other than IPv4 or IPv6 (ARP, LLDP, …).
    case notIP(LinkProtocol)
    /// The IP packet carries another protocol than TCP (its protocol number: 17 is UDP, 1 ICMP).
    case notTCP(ipProtocol: UInt8)
    /// A fragment of a TCP packet: IPv4 with the more-fragments flag or a fragment offset, or IPv6
    /// with a fragment header that is not an atomic fragment (RFC 6946). Fragments are not
    /// reassembled; a fragment of another protocol is ``notTCP(ipProtocol:)``.
    case ipFragment
    /// The captured bytes end before the named header does.
    case truncatedHeader(PacketHeader)
    /// A length field of the named header is impossible: an IPv4 header length under 20 bytes,
    /// a total length shorter than the headers or longer than the packet was on the wire, a TCP
    /// data offset under 20 bytes or past the end of the IP payload.
    case badHeaderLength(PacketHeader)

    public var description: String {
        switch self {
        case .unsupportedLinkType(let type): "unsupported \(type)"
        case .notIP(let linkProtocol): "not IP (\(linkProtocol))"
        case .notTCP(let ipProtocol): "not TCP (IP protocol \(ipProtocol))"
        case .ipFragment: "IP fragment"
        case .truncatedHeader(let header): "truncated \(header) header"
        case .badHeaderLength(let header): "bad \(header) header length"
        }
    }
}
