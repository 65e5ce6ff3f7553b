import NIOCore
import Testing

@testable import SocketTapeCapture

@Suite struct SynthesizedTCPConnectionTests {
    let client = IPEndpoint(address: [127, 0, 0, 1], port: 50000)
    let server = IPEndpoint(address: [127, 0, 0, 1], port: 3000)

    func connection(mss: Int = 1460) -> SynthesizedTCPConnection {
        SynthesizedTCPConnection(client: client, server: server, clientInitialSequence: 1000, serverInitialSequence: 5000, maximumSegmentSize: mss)
    }

    @Test func handshakeDataAndCloseHaveConsistentSequenceNumbers() {
        var tcp = connection()
        var packets = tcp.open(at: 1)
        packets += tcp.send(ByteBuffer(repeating: 0x61, count: 3000), from: .clientToServer, at: 2)
        packets += tcp.send(ByteBuffer(repeating: 0x62, count: 10), from: .serverToClient, at: 3)
        packets += tcp.close(from: .clientToServer, at: 4)
        #expect(packets.map { DecodedSegment($0).blanked } == [
            DecodedSegment(50000, 3000, seq: 1000, ack: 0, flags: .syn),
            DecodedSegment(3000, 50000, seq: 5000, ack: 1001, flags: [.syn, .ack]),
            DecodedSegment(50000, 3000, seq: 1001, ack: 5001, flags: .ack),
            DecodedSegment(50000, 3000, seq: 1001, ack: 5001, flags: .ack, payloadCount: 1460),
            DecodedSegment(50000, 3000, seq: 2461, ack: 5001, flags: .ack, payloadCount: 1460),
            DecodedSegment(50000, 3000, seq: 3921, ack: 5001, flags: [.ack, .psh], payloadCount: 80),
            DecodedSegment(3000, 50000, seq: 5001, ack: 4001, flags: .ack),
            DecodedSegment(3000, 50000, seq: 5001, ack: 4001, flags: [.ack, .psh], payloadCount: 10),
            DecodedSegment(50000, 3000, seq: 4001, ack: 5011, flags: .ack),
            DecodedSegment(50000, 3000, seq: 4001, ack: 5011, flags: [.fin, .ack]),
            DecodedSegment(3000, 50000, seq: 5011, ack: 4002, flags: [.fin, .ack]),
            DecodedSegment(50000, 3000, seq: 4002, ack: 5012, flags: .ack),
        ])
        #expect(packets.map(\.wallMicros) == [1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4])
    }

    @Test func longWritesAreAcknowledgedEverySixteenSegments() {
        var tcp = connection(mss: 100)
        _ = tcp.open(at: 0)
        let segments = tcp.send(ByteBuffer(repeating: 0, count: 100 * 40), from: .serverToClient, at: 0).map(DecodedSegment.init)
        let acknowledgments = segments.filter { $0.sourcePort == client.port }.map(\.acknowledgmentNumber)
        let expected: [UInt32] = [5001 + 1600, 5001 + 3200, 5001 + 4000]
        #expect(acknowledgments == expected)
        #expect(segments.count == 40 + 3)
    }

    @Test func resetIsOneSegmentAtTheNextSequenceNumber() {
        var tcp = connection()
        _ = tcp.open(at: 0)
        _ = tcp.send(ByteBuffer(string: "hi"), from: .clientToServer, at: 0)
        #expect(tcp.reset(from: .serverToClient, at: 9).map(DecodedSegment.init) == [
            DecodedSegment(3000, 50000, seq: 5001, ack: 1003, flags: [.rst, .ack]),
        ])
    }

    @Test func ipv4HeaderAndTCPChecksumsVerify() {
        var tcp = connection()
        let packet = tcp.open(at: 0)[0].bytes
        // SYN with the MSS option: 20 bytes of IPv4, 24 of TCP.
        #expect(Array(buffer: packet.getSlice(at: 0, length: 12)!) == [0x45, 0, 0, 44, 0, 0, 0x40, 0, 64, 6, 0x3C, 0xCA])
        #expect(Array(buffer: packet.getSlice(at: 40, length: 4)!) == [2, 4, 0x05, 0xB4])
        var header = InternetChecksum()
        header.add(packet.getSlice(at: 0, length: 20)!)
        #expect(header.value == 0)
        var segment = InternetChecksum()
        segment.add([127, 0, 0, 1, 127, 0, 0, 1, 0, 6, 0, 24])
        segment.add(packet.getSlice(at: 20, length: 24)!)
        #expect(segment.value == 0)
    }

    @Test func ipv6PacketsHaveAFortyByteHeader() {
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        var tcp = SynthesizedTCPConnection(
            client: IPEndpoint(address: loopback, port: 50000), server: IPEndpoint(address: loopback, port: 80),
            clientInitialSequence: 7, serverInitialSequence: 9, maximumSegmentSize: 1440
        )
        let syn = tcp.open(at: 0)[0]
        #expect(Array(buffer: syn.bytes.getSlice(at: 0, length: 8)!) == [0x60, 0, 0, 0, 0, 24, 6, 64])
        #expect(DecodedSegment(syn) == DecodedSegment(50000, 80, seq: 7, ack: 0, flags: .syn))
    }
}
