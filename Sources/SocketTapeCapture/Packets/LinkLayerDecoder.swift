import NIOCore

/// Where the IP header of a packet starts and which IP version the link layer announced.
struct NetworkLayerStart {
    enum Version {
        case ipv4
        case ipv6
    }

    var offset: Int
    var version: Version
}

/// Strips the link-layer header of each ``LinkType`` ``PacketDecoder`` supports.
enum LinkLayerDecoder {
    static func networkLayer(of packet: ByteBuffer, linkType: LinkType) throws(PacketSkipReason) -> NetworkLayerStart {
        let start = packet.readerIndex
        switch linkType {
        case .ethernet:
            return try etherType(in: packet, at: start + 12, payloadAt: start + 14)
        case .linuxSLL:
            return try etherType(in: packet, at: start + 14, payloadAt: start + 16)
        case .linuxSLL2:
            return try etherType(in: packet, at: start, payloadAt: start + 20)
        case .null:
            guard let family = packet.headerField(at: start, endianness: .little, as: UInt32.self) else {
                throw .truncatedHeader(.link)
            }
            // Written in the capturing machine's byte order: a family number is small, so a value
            // above 16 bits was written big-endian.
            return try addressFamily(family > 0xFFFF ? family.byteSwapped : family, payloadAt: start + 4)
        case .loop:
            guard let family = packet.headerField(at: start, endianness: .big, as: UInt32.self) else {
                throw .truncatedHeader(.link)
            }
            return try addressFamily(family, payloadAt: start + 4)
        case .rawIP, .rawIPOnBSD, .rawIPLinkType:
            return try rawIP(packet, expecting: nil)
        case .ipv4:
            return try rawIP(packet, expecting: .ipv4)
        case .ipv6:
            return try rawIP(packet, expecting: .ipv6)
        default:
            throw .unsupportedLinkType(linkType)
        }
    }

    /// Reads the EtherType at `typeOffset` and steps over VLAN tags: a VLAN EtherType means the
    /// payload starts with a tag (2 bytes TCI, 2 bytes the next EtherType). 802.1Q customer tags
    /// (0x8100), 802.1ad service tags (0x88A8) and pre-standard QinQ (0x9100) are stepped over;
    /// libpcap puts tags it restores for Linux cooked captures after the cooked header the same way.
    private static func etherType(
        in packet: ByteBuffer, at typeOffset: Int, payloadAt payloadOffset: Int
    ) throws(PacketSkipReason) -> NetworkLayerStart {
        var typeOffset = typeOffset
        var payloadOffset = payloadOffset
        while true {
            guard let type = packet.headerField(at: typeOffset, endianness: .big, as: UInt16.self),
                payloadOffset <= packet.writerIndex
            else {
                throw .truncatedHeader(.link)
            }
            switch type {
            case 0x0800: return NetworkLayerStart(offset: payloadOffset, version: .ipv4)
            case 0x86DD: return NetworkLayerStart(offset: payloadOffset, version: .ipv6)
            case 0x8100, 0x88A8, 0x9100:
                typeOffset = payloadOffset + 2
                payloadOffset += 4
            default: throw .notIP(.etherType(type))
            }
        }
    }

    /// AF_INET is 2 everywhere; AF_INET6 is 10 on Linux, 24 on NetBSD and OpenBSD, 28 on FreeBSD
    /// and 30 on macOS, and a capture may come from any of them.
    private static func addressFamily(_ family: UInt32, payloadAt offset: Int) throws(PacketSkipReason) -> NetworkLayerStart {
        switch family {
        case 2: NetworkLayerStart(offset: offset, version: .ipv4)
        case 10, 24, 28, 30: NetworkLayerStart(offset: offset, version: .ipv6)
        default: throw .notIP(.addressFamily(family))
        }
    }

    /// No link header: the IP version nibble says which IP it is.
    private static func rawIP(
        _ packet: ByteBuffer, expecting expected: NetworkLayerStart.Version?
    ) throws(PacketSkipReason) -> NetworkLayerStart {
        guard let first = packet.headerField(at: packet.readerIndex, as: UInt8.self) else {
            throw .truncatedHeader(.link)
        }
        let version: NetworkLayerStart.Version
        switch first >> 4 {
        case 4: version = .ipv4
        case 6: version = .ipv6
        default: throw .notIP(.ipVersion(first >> 4))
        }
        guard expected == nil || expected == version else { throw .notIP(.ipVersion(first >> 4)) }
        return NetworkLayerStart(offset: packet.readerIndex, version: version)
    }
}
