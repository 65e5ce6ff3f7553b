import NIOCore

/// The addresses of an IP packet and where its TCP part lies.
struct TCPInIP {
    var sourceAddress: PackedIPAddress
    var destinationAddress: PackedIPAddress
    /// Offset of the TCP header in the packet buffer.
    var offset: Int
    /// Bytes of TCP header and payload the IP header announces (captured or not).
    var length: Int
}

/// Reads IPv4 and IPv6 headers (IPv6 with hop-by-hop, routing, destination-options and atomic
/// fragment headers) down to a TCP header.
///
/// Lengths come from the IP header, not from the captured bytes: link-layer padding after the IP
/// packet is ignored, and bytes the snap length cut off are the caller's to count. An IP length
/// of zero, which no real TCP packet has, is what a capture on a host using segmentation offload
/// (or an IPv6 jumbogram) shows; then the packet's wire length is used instead.
enum IPLayerDecoder {
    static let tcpProtocol: UInt8 = 6

    /// - Parameter wireEnd: where the packet would end in `packet` had nothing been cut off.
    static func tcp(
        in packet: ByteBuffer, at start: NetworkLayerStart, wireEnd: Int
    ) throws(PacketSkipReason) -> TCPInIP {
        switch start.version {
        case .ipv4: try ipv4(packet, at: start.offset, wireEnd: wireEnd)
        case .ipv6: try ipv6(packet, at: start.offset, wireEnd: wireEnd)
        }
    }

    private static func ipv4(_ packet: ByteBuffer, at start: Int, wireEnd: Int) throws(PacketSkipReason) -> TCPInIP {
        guard start + 20 <= packet.writerIndex else { throw .truncatedHeader(.ipv4) }
        let first = packet.headerField(at: start, as: UInt8.self)!
        guard first >> 4 == 4 else { throw .notIP(.ipVersion(first >> 4)) }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20 else { throw .badHeaderLength(.ipv4) }
        guard start + headerLength <= packet.writerIndex else { throw .truncatedHeader(.ipv4) }
        let totalLength = try length(
            announced: Int(packet.headerField(at: start + 2, as: UInt16.self)!), from: start, wireEnd: wireEnd, header: .ipv4
        )
        guard totalLength >= headerLength else { throw .badHeaderLength(.ipv4) }
        let ipProtocol = packet.headerField(at: start + 9, as: UInt8.self)!
        guard ipProtocol == tcpProtocol else { throw .notTCP(ipProtocol: ipProtocol) }
        let fragment = packet.headerField(at: start + 6, as: UInt16.self)!
        let moreFragments: UInt16 = 0x2000
        let fragmentOffset: UInt16 = 0x1FFF
        guard fragment & (moreFragments | fragmentOffset) == 0 else { throw .ipFragment }
        return TCPInIP(
            sourceAddress: PackedIPAddress(ipv4: packet, at: start + 12),
            destinationAddress: PackedIPAddress(ipv4: packet, at: start + 16),
            offset: start + headerLength,
            length: totalLength - headerLength
        )
    }

    private static func ipv6(_ packet: ByteBuffer, at start: Int, wireEnd: Int) throws(PacketSkipReason) -> TCPInIP {
        let fixedHeaderLength = 40
        guard start + fixedHeaderLength <= packet.writerIndex else { throw .truncatedHeader(.ipv6) }
        let version = packet.headerField(at: start, as: UInt8.self)! >> 4
        guard version == 6 else { throw .notIP(.ipVersion(version)) }
        var remaining = try length(
            announced: Int(packet.headerField(at: start + 4, as: UInt16.self)!),
            from: start + fixedHeaderLength, wireEnd: wireEnd, header: .ipv6
        )
        var nextHeader = packet.headerField(at: start + 6, as: UInt8.self)!
        var offset = start + fixedHeaderLength
        while nextHeader != tcpProtocol {
            let extensionLength: Int
            switch nextHeader {
            case 0, 43, 60:  // hop-by-hop options, routing, destination options
                guard let units = packet.headerField(at: offset + 1, as: UInt8.self) else {
                    throw .truncatedHeader(.ipv6Extension)
                }
                extensionLength = (Int(units) + 1) * 8
            case 44:  // fragment: next header, reserved, 13-bit offset, 2 reserved bits, more-fragments
                guard let fields = packet.headerField(at: offset, as: UInt32.self) else {
                    throw .truncatedHeader(.ipv6Extension)
                }
                let isAtomic = fields & 0xFFF9 == 0  // offset 0, no more fragments (RFC 6946)
                guard isAtomic else {
                    let fragmentNextHeader = UInt8(fields >> 24)
                    throw fragmentNextHeader == tcpProtocol ? .ipFragment : .notTCP(ipProtocol: fragmentNextHeader)
                }
                extensionLength = 8
            default:
                throw .notTCP(ipProtocol: nextHeader)
            }
            guard extensionLength <= remaining else { throw .badHeaderLength(.ipv6Extension) }
            guard offset + extensionLength <= packet.writerIndex else { throw .truncatedHeader(.ipv6Extension) }
            nextHeader = packet.headerField(at: offset, as: UInt8.self)!
            offset += extensionLength
            remaining -= extensionLength
        }
        return TCPInIP(
            sourceAddress: PackedIPAddress(ipv6: packet, at: start + 8),
            destinationAddress: PackedIPAddress(ipv6: packet, at: start + 24),
            offset: offset,
            length: remaining
        )
    }

    /// The IP length field, checked against the packet's wire length (zero: use the wire length).
    private static func length(
        announced: Int, from start: Int, wireEnd: Int, header: PacketHeader
    ) throws(PacketSkipReason) -> Int {
        guard announced != 0 else { return wireEnd - start }
        guard start + announced <= wireEnd else { throw .badHeaderLength(header) }
        return announced
    }
}
