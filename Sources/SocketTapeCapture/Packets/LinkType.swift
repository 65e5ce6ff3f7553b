/// The link-layer header type of a capture: libpcap's DLT value (`pcap_datalink`) or a file's
/// LINKTYPE value, which libpcap already maps to DLT values when it reads a file.
///
/// ``PacketDecoder`` decodes the types with a static constant here; every other value is kept (so
/// it can be named in messages) and its packets are skipped as
/// ``PacketSkipReason/unsupportedLinkType(_:)``.
///
/// The constants are libpcap's numbers on Linux, macOS and FreeBSD (OpenBSD numbers DLT_LOOP 12
/// and DLT_RAW 14).
public struct LinkType: Sendable, Hashable, CustomStringConvertible {
    /// The DLT (or LINKTYPE) number.
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// BSD loopback (DLT_NULL, 0): a 4-byte address family in the capturing machine's byte order.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II (DLT_EN10MB, 1), with any number of 802.1Q / 802.1ad (QinQ) VLAN tags.
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IPv4 or IPv6 as libpcap names it on Linux and most systems (DLT_RAW, 12).
    public static let rawIP = LinkType(rawValue: 12)
    /// Raw IP as some BSDs number DLT_RAW (14).
    public static let rawIPOnBSD = LinkType(rawValue: 14)
    /// Raw IP by its file number (LINKTYPE_RAW, 101), seen when a DLT is not mapped back.
    public static let rawIPLinkType = LinkType(rawValue: 101)
    /// OpenBSD loopback (DLT_LOOP, 108): a 4-byte address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux "cooked" capture v1 (DLT_LINUX_SLL, 113): the `any` interface, 16-byte header.
    public static let linuxSLL = LinkType(rawValue: 113)
    /// IPv4 only, no link header (LINKTYPE_IPV4, 228).
    public static let ipv4 = LinkType(rawValue: 228)
    /// IPv6 only, no link header (LINKTYPE_IPV6, 229).
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux "cooked" capture v2 (DLT_LINUX_SLL2, 276): 20-byte header with the interface index.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// The name and number, for example `Ethernet (1)` or `link type 147`.
    public var description: String {
        switch self {
        case .null: "BSD loopback (0)"
        case .ethernet: "Ethernet (1)"
        case .rawIP, .rawIPOnBSD, .rawIPLinkType: "raw IP (\(rawValue))"
        case .loop: "OpenBSD loopback (108)"
        case .linuxSLL: "Linux cooked capture (113)"
        case .ipv4: "raw IPv4 (228)"
        case .ipv6: "raw IPv6 (229)"
        case .linuxSLL2: "Linux cooked capture v2 (276)"
        default: "link type \(rawValue)"
        }
    }
}
