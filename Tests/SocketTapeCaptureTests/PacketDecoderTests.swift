import NIOCore
import SocketTapeCapture
import Testing

@Suite struct PacketDecoderTests {
    let clientV4 = IPEndpoint(address: [192, 168, 0, 1], port: 51000)
    let serverV4 = IPEndpoint(address: [192, 168, 0, 2], port: 3000)
    let clientV6 = IPEndpoint(address: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], port: 51000)
    let serverV6 = IPEndpoint(address: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2], port: 3000)

    func decode(_ bytes: ByteBuffer, _ linkType: LinkType, wireLength: Int? = nil) throws(PacketSkipReason) -> TCPSegment {
        try PacketDecoder.decode(bytes, linkType: linkType, wireLength: wireLength ?? bytes.readableBytes, wallMicros: 42)
    }

    func expectHi(_ segment: TCPSegment, ipv6: Bool = false) {
        let expected = TCPSegment(
            source: ipv6 ? clientV6 : clientV4, destination: ipv6 ? serverV6 : serverV4,
            sequenceNumber: 100, acknowledgmentNumber: 200, flags: [.psh, .ack],
            payload: ByteBuffer(string: "hi"), truncatedBytes: 0, wallMicros: 42
        )
        #expect(segment == expected)
    }

    func expectSkip(_ reason: PacketSkipReason, _ bytes: ByteBuffer, _ linkType: LinkType, wireLength: Int? = nil) {
        #expect(throws: reason) { try decode(bytes, linkType, wireLength: wireLength) }
    }

    // MARK: link types

    @Test func ethernetIPv4() throws {
        expectHi(try decode(packet(Headers.ethernetIPv4 + Headers.ipv4 + Headers.tcp + Headers.payload), .ethernet))
    }

    @Test func ethernetIPv6() throws {
        expectHi(try decode(packet(Headers.ethernetIPv6 + Headers.ipv6 + Headers.tcp + Headers.payload), .ethernet), ipv6: true)
    }

    @Test func ethernet8021QTag() throws {
        let frame = packet("020000000002 020000000001 8100 0064 0800" + Headers.ipv4 + Headers.tcp + Headers.payload)
        expectHi(try decode(frame, .ethernet))
    }

    @Test func ethernetQinQTags() throws {
        let frame = packet("020000000002 020000000001 88a8 00c8 8100 0064 86dd" + Headers.ipv6 + Headers.tcp + Headers.payload)
        expectHi(try decode(frame, .ethernet), ipv6: true)
    }

    @Test func linuxCookedCapture() throws {
        // packet type 0 (to us), ARPHRD_ETHER, 6-byte address padded to 8, protocol IPv4
        let frame = packet("0000 0001 0006 020000000001 0000 0800" + Headers.ipv4 + Headers.tcp + Headers.payload)
        expectHi(try decode(frame, .linuxSLL))
    }

    @Test func linuxCookedCaptureVersion2() throws {
        // protocol IPv6, reserved, interface index 1, ARPHRD_ETHER, packet type 4 (outgoing), address
        let frame = packet("86dd 0000 00000001 0001 04 06 020000000001 0000" + Headers.ipv6 + Headers.tcp + Headers.payload)
        expectHi(try decode(frame, .linuxSLL2), ipv6: true)
    }

    @Test func linuxCookedCaptureWithARestoredVLANTag() throws {
        // libpcap puts the tag the kernel stripped after the cooked header: 0x8100, then TCI and EtherType
        let v1 = packet("0000 0001 0006 020000000001 0000 8100 0064 0800" + Headers.ipv4 + Headers.tcp + Headers.payload)
        expectHi(try decode(v1, .linuxSLL))
        let v2 = packet("8100 0000 00000001 0001 00 06 020000000001 0000 0064 86dd" + Headers.ipv6 + Headers.tcp + Headers.payload)
        expectHi(try decode(v2, .linuxSLL2), ipv6: true)
    }

    @Test func bsdLoopbackInEitherByteOrder() throws {
        expectHi(try decode(packet("02000000" + Headers.ipv4 + Headers.tcp + Headers.payload), .null))
        expectHi(try decode(packet("00000002" + Headers.ipv4 + Headers.tcp + Headers.payload), .null))
        // AF_INET6 as macOS (30) and FreeBSD (28) number it
        expectHi(try decode(packet("1e000000" + Headers.ipv6 + Headers.tcp + Headers.payload), .null), ipv6: true)
        expectHi(try decode(packet("0000001c" + Headers.ipv6 + Headers.tcp + Headers.payload), .null), ipv6: true)
    }

    @Test func openBSDLoopbackIsNetworkOrder() throws {
        expectHi(try decode(packet("00000002" + Headers.ipv4 + Headers.tcp + Headers.payload), .loop))
        expectSkip(.notIP(.addressFamily(0x0200_0000)), packet("02000000" + Headers.ipv4 + Headers.tcp), .loop)
    }

    @Test(arguments: [LinkType.rawIP, .rawIPOnBSD, .rawIPLinkType])
    func rawIPOfEitherVersion(linkType: LinkType) throws {
        expectHi(try decode(packet(Headers.ipv4 + Headers.tcp + Headers.payload), linkType))
        expectHi(try decode(packet(Headers.ipv6 + Headers.tcp + Headers.payload), linkType), ipv6: true)
    }

    @Test func rawIPv4AndIPv6LinkTypesTakeOnlyTheirVersion() throws {
        expectHi(try decode(packet(Headers.ipv4 + Headers.tcp + Headers.payload), .ipv4))
        expectHi(try decode(packet(Headers.ipv6 + Headers.tcp + Headers.payload), .ipv6), ipv6: true)
        expectSkip(.notIP(.ipVersion(6)), packet(Headers.ipv6 + Headers.tcp + Headers.payload), .ipv4)
        expectSkip(.notIP(.ipVersion(4)), packet(Headers.ipv4 + Headers.tcp + Headers.payload), .ipv6)
    }

    @Test func unsupportedLinkTypeIsNamed() {
        let ieee80211 = LinkType(rawValue: 105)
        expectSkip(.unsupportedLinkType(ieee80211), packet(Headers.ipv4 + Headers.tcp), ieee80211)
        #expect(PacketSkipReason.unsupportedLinkType(ieee80211).description == "unsupported link type 105")
    }

    // MARK: IP

    @Test func ipv4WithOptions() throws {
        // IHL 6: NOP NOP NOP EOL; total length 46
        let frame = packet(Headers.ethernetIPv4 + "4600 002e 0001 4000 4006 0000 c0a80001 c0a80002 01010100" + Headers.tcp + Headers.payload)
        expectHi(try decode(frame, .ethernet))
    }

    @Test func ipv6WithHopByHopAndDestinationOptions() throws {
        // next header 0 (hop-by-hop, 8 bytes: next 60, PadN), 60 (destination options, 8 bytes: next TCP, PadN)
        let frame = packet(
            Headers.ethernetIPv6
                + "60000000 0026 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                + "3c00 010400000000" + "0600 010400000000" + Headers.tcp + Headers.payload
        )
        expectHi(try decode(frame, .ethernet), ipv6: true)
    }

    @Test func ipv6AtomicFragmentIsAWholePacket() throws {
        let frame = packet(
            Headers.ethernetIPv6
                + "60000000 001e 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                + "0600 0000 12345678" + Headers.tcp + Headers.payload
        )
        expectHi(try decode(frame, .ethernet), ipv6: true)
    }

    @Test func ipv6FragmentIsSkipped() {
        // more-fragments set, offset 0
        let first = packet(
            Headers.ethernetIPv6
                + "60000000 001e 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                + "0600 0001 12345678" + Headers.tcp + Headers.payload
        )
        expectSkip(.ipFragment, first, .ethernet)
        // offset 8 × 8 bytes, last fragment, of a UDP datagram
        let udp = packet(
            Headers.ethernetIPv6
                + "60000000 000a 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                + "1100 0040 12345678" + "6869"
        )
        expectSkip(.notTCP(ipProtocol: 17), udp, .ethernet)
    }

    @Test func ipv4FragmentIsSkipped() {
        // more fragments
        expectSkip(.ipFragment, packet(Headers.ethernetIPv4 + "4500 002a 0001 2000 4006 0000 c0a80001 c0a80002" + Headers.tcp + Headers.payload), .ethernet)
        // offset 185 (1480 bytes), last fragment
        expectSkip(.ipFragment, packet(Headers.ethernetIPv4 + "4500 0016 0001 00b9 4006 0000 c0a80001 c0a80002 6869"), .ethernet)
    }

    @Test func nonIPAndNonTCPAreSkippedWithWhatTheyAre() {
        let arp = packet("ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 c0a80001 000000000000 c0a80002")
        expectSkip(.notIP(.etherType(0x0806)), arp, .ethernet)
        #expect(PacketSkipReason.notIP(.etherType(0x0806)).description == "not IP (EtherType 0x0806)")
        let udp = packet(Headers.ethernetIPv4 + "4500 001e 0001 4000 4011 0000 c0a80001 c0a80002 c738 0bb8 000a 0000 6869")
        expectSkip(.notTCP(ipProtocol: 17), udp, .ethernet)
        #expect(PacketSkipReason.notTCP(ipProtocol: 17).description == "not TCP (IP protocol 17)")
        expectSkip(.notIP(.addressFamily(7)), packet("07000000" + Headers.ipv4), .null)
    }

    // MARK: lengths

    @Test func ethernetPaddingIsNotPayload() throws {
        // a bare ACK: total length 40, padded to the 60-byte Ethernet minimum
        let frame = packet(Headers.ethernetIPv4 + "4500 0028 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + "000000000000")
        let segment = try decode(frame, .ethernet)
        #expect(segment.payload.readableBytes == 0)
        #expect(segment.truncatedBytes == 0)
    }

    @Test func bytesCutBySnapLengthAreTruncatedBytes() throws {
        // total length 50: a 10-byte payload of which 4 were captured
        let frame = packet(Headers.ethernetIPv4 + "4500 0032 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + "30313233")
        let segment = try decode(frame, .ethernet, wireLength: 14 + 50)
        #expect(segment.payload == ByteBuffer(string: "0123"))
        #expect(segment.truncatedBytes == 6)
    }

    @Test func ipLengthBeyondTheWireLengthIsBad() {
        let frame = packet(Headers.ethernetIPv4 + "4500 0032 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + "30313233")
        expectSkip(.badHeaderLength(.ipv4), frame, .ethernet)
    }

    @Test func zeroIPLengthFromSegmentationOffloadUsesTheWireLength() throws {
        let frame = packet(Headers.ethernetIPv4 + "4500 0000 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + "30313233")
        let segment = try decode(frame, .ethernet, wireLength: 14 + 40 + 10)
        #expect(segment.payload == ByteBuffer(string: "0123"))
        #expect(segment.truncatedBytes == 6)
    }

    @Test func truncatedHeadersAreNamed() {
        expectSkip(.truncatedHeader(.link), packet("020000000002 020000000001 81"), .ethernet)
        expectSkip(.truncatedHeader(.ipv4), packet(Headers.ethernetIPv4 + "4500 002a 0001"), .ethernet, wireLength: 56)
        expectSkip(.truncatedHeader(.ipv6), packet(Headers.ethernetIPv6 + "60000000 0016 06 40"), .ethernet, wireLength: 76)
        expectSkip(.truncatedHeader(.tcp), packet(Headers.ethernetIPv4 + Headers.ipv4 + "c738 0bb8 00000064"), .ethernet, wireLength: 56)
        let hopByHopCut = packet(
            Headers.ethernetIPv6 + "60000000 001e 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002" + "0600 0104"
        )
        expectSkip(.truncatedHeader(.ipv6Extension), hopByHopCut, .ethernet, wireLength: 14 + 40 + 30)
    }

    @Test func impossibleHeaderLengthsAreNamed() {
        // IHL 4
        expectSkip(.badHeaderLength(.ipv4), packet(Headers.ethernetIPv4 + "4400 002a 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + Headers.payload), .ethernet)
        // total length 16, under the header's 20
        expectSkip(.badHeaderLength(.ipv4), packet(Headers.ethernetIPv4 + "4500 0010 0001 4000 4006 0000 c0a80001 c0a80002" + Headers.tcp + Headers.payload), .ethernet)
        // TCP data offset 4
        expectSkip(.badHeaderLength(.tcp), packet(Headers.ethernetIPv4 + Headers.ipv4 + "c738 0bb8 00000064 000000c8 4018 ffff 0000 0000" + Headers.payload), .ethernet)
        // TCP data offset 6 (24 bytes) in a 22-byte IP payload
        expectSkip(.badHeaderLength(.tcp), packet(Headers.ethernetIPv4 + Headers.ipv4 + "c738 0bb8 00000064 000000c8 6018 ffff 0000 0000" + Headers.payload), .ethernet)
        // a destination-options header longer than the IPv6 payload
        let longExtension = packet(
            Headers.ethernetIPv6 + "60000000 0008 3c 40 20010db8000000000000000000000001 20010db8000000000000000000000002" + "0601 010400000000"
        )
        expectSkip(.badHeaderLength(.ipv6Extension), longExtension, .ethernet)
    }

    // MARK: the segment

    @Test func payloadIsASliceOfThePacket() throws {
        let frame = packet(Headers.ethernetIPv4 + Headers.ipv4 + Headers.tcp + Headers.payload)
        let segment = try decode(frame, .ethernet)
        let packetStart = frame.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let payloadStart = segment.payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(payloadStart == packetStart + 54)
    }

    @Test func tcpFlagsAndOptionsAreRead() throws {
        // SYN with data offset 6 (an MSS option), no payload
        let syn = packet(Headers.ethernetIPv4 + "4500 002c 0001 4000 4006 0000 c0a80001 c0a80002" + "c738 0bb8 00000064 00000000 6002 ffff 0000 0000 020405b4")
        let segment = try decode(syn, .ethernet)
        #expect(segment.flags == [.syn])
        #expect(segment.sequenceNumber == 100)
        #expect(segment.payload.readableBytes == 0)
        // FIN+RST+URG+ECE: URG and ECE are not kept
        let odd = packet(Headers.ethernetIPv4 + Headers.ipv4 + "c738 0bb8 00000064 000000c8 5065 ffff 0000 0000" + Headers.payload)
        #expect(try decode(odd, .ethernet).flags == [.fin, .rst])
    }
}
