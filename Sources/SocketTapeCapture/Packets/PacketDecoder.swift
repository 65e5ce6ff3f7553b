import NIOCore

/// Decodes one captured packet into a ``TCPSegment``: link layer, IP, TCP.
///
/// Handled: the link types with constants on ``LinkType`` (Ethernet with 802.1Q/QinQ VLAN tags,
/// Linux cooked SLL and SLL2, BSD NULL in either byte order and LOOP, raw IP), IPv4 with options,
/// IPv6 with hop-by-hop, routing and destination-options headers and atomic fragments.
/// Not handled (the packet is skipped with a ``PacketSkipReason``): other link types, non-IP
/// frames, IP fragments (no fragment reassembly), other protocols than TCP, IPsec (AH/ESP),
/// IP-in-IP tunnels, and headers that are cut off or whose lengths do not add up.
/// Checksums are not verified: captures on the sending host carry unfinished checksums when the
/// network card computes them.
///
/// The payload length is the IP length minus the headers: Ethernet padding is not payload, and
/// payload bytes the snap length cut off are counted in ``TCPSegment/truncatedBytes``. The
/// payload is a slice of `packet` (no copy).
public enum PacketDecoder {
    /// - Parameters:
    ///   - packet: the captured bytes, from the start of the link-layer header.
    ///   - linkType: the capture's link type.
    ///   - wireLength: the packet's length on the wire (pcap's `len`); when it is larger than the
    ///     captured length, the difference is what the snap length cut off.
    ///   - wallMicros: the capture timestamp, microseconds since the Unix epoch.
    /// - Throws: why the packet is not a decodable TCP segment.
    public static func decode(
        _ packet: ByteBuffer, linkType: LinkType, wireLength: Int, wallMicros: Int64
    ) throws(PacketSkipReason) -> TCPSegment {
        let network = try LinkLayerDecoder.networkLayer(of: packet, linkType: linkType)
        let wireEnd = packet.readerIndex + max(wireLength, packet.readableBytes)
        let tcp = try IPLayerDecoder.tcp(in: packet, at: network, wireEnd: wireEnd)
        return try TCPHeaderDecoder.segment(in: packet, tcp, wallMicros: wallMicros)
    }
}
