import NIOCore
import SocketTapeTape
import Testing

@testable import SocketTapeCapture

@Suite struct PcapSynthesizerTests {
    func record(_ body: TapeRecord.Body, session: String = "s1", at micros: Int64) -> TapeRecord {
        TapeRecord(session: session, time: RecordTime(wallMicros: micros, offsetNanos: 0), body: body)
    }

    let upgradeRequest = HTTPRequestRecord(method: "GET", target: "/chat", headers: [HeaderField("Upgrade", "websocket")])
    let switching = HTTPResponseRecord(status: 101, headers: [HeaderField("Upgrade", "websocket")])

    /// Each direction's TCP payloads joined, keyed by source port.
    func streams(_ packets: [SynthesizedPacket]) -> [UInt16: [UInt8]] {
        packets.map(DecodedSegment.init).reduce(into: [:]) { $0[$1.sourcePort, default: []] += $1.payload }
    }

    @Test func webSocketSessionIsOneConnectionFromClientToUpstream() throws {
        var synthesizer = PcapSynthesizer()
        let open = SessionOpen(client: "127.0.0.1:51000", transport: .websocket, upstream: "ws://127.0.0.1:3000", request: upgradeRequest, response: switching)
        let key: UInt32 = 0x37FA_213D
        var packets = try synthesizer.packets(for: record(.open(open), at: 10))
        packets += try synthesizer.packets(for: record(.frame(FrameInfo(from: .client, opcode: 1, fin: true, rsv: 0, maskingKey: key, payloadLength: 5)), at: 20))
        packets += try synthesizer.packets(for: record(.message(MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "Hello"), frames: 1, compressed: false)), at: 20))
        packets += try synthesizer.packets(for: record(.policy(PolicyDecision(from: .client, rule: "rate-limit", action: "log", detail: "")), at: 21))
        packets += try synthesizer.packets(for: record(.close(SessionClose(by: .server, code: 1000, reason: "", error: nil)), at: 30))
        packets += try synthesizer.packets(for: record(.gap(Gap(records: 1, bytes: 10, reason: "")), session: "", at: 31))

        let segments = packets.map(DecodedSegment.init)
        #expect(Set(segments.map { [$0.sourcePort, $0.destinationPort] }) == [[51000, 3000], [3000, 51000]])
        #expect(segments.first?.flags == TCPFlags.syn.rawValue)
        #expect(segments.filter { $0.flags & TCPFlags.fin.rawValue != 0 }.map(\.sourcePort) == [3000, 51000])
        let stream = streams(packets)
        let request = Array("GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n\r\n".utf8)
        #expect(stream[51000] == request + [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        #expect(stream[3000] == Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".utf8))
        #expect(Set(packets.map(\.wallMicros)) == [10, 20, 30])
        #expect(synthesizer.leftOut.description == "1 policy, 1 gap")
    }

    @Test func pollingExchangesAndTheUpgradeEachGetAConnectionWithAFreshClientPort() throws {
        var synthesizer = PcapSynthesizer()
        let handshake = HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=polling", headers: [])
        let open = SessionOpen(
            client: "127.0.0.1:51000", transport: .polling, upstream: "http://127.0.0.1:3000", request: handshake,
            response: HTTPResponseRecord(status: 200, headers: [], body: ByteBuffer(string: "0{}")), engineIOVersion: 4
        )
        var packets = try synthesizer.packets(for: record(.open(open), at: 1))
        packets += try synthesizer.packets(for: record(.message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "0{}"), frames: 0, compressed: false, transport: .polling)), at: 1))
        packets += try synthesizer.packets(for: record(.http(HTTPExchange(request: handshake, response: HTTPResponseRecord(status: 200, headers: [], body: ByteBuffer(string: "40")))), at: 2))
        packets += try synthesizer.packets(for: record(.upgrade(TransportUpgrade(transport: .websocket, request: upgradeRequest, response: switching)), at: 3))
        packets += try synthesizer.packets(for: record(.message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "3probe"), frames: 1, compressed: false)), at: 4))

        let syns = packets.map(DecodedSegment.init).filter { $0.flags == TCPFlags.syn.rawValue }
        #expect(syns.map(\.sourcePort) == [51000, 51001, 51002])
        let stream = streams(packets)
        let probeAfterTheUpgradeResponse = Array("\r\n\r\n".utf8) + [0x81, 0x06] + Array("3probe".utf8)
        #expect(stream[3000]?.suffix(12).elementsEqual(probeAfterTheUpgradeResponse) == true)
        #expect(synthesizer.leftOut.total == 0)
    }

    @Test func closeWithATransportErrorIsOneResetFromTheCloser() throws {
        var synthesizer = PcapSynthesizer()
        let open = SessionOpen(client: "127.0.0.1:51000", transport: .websocket, upstream: "ws://127.0.0.1:3000", request: upgradeRequest, response: switching)
        _ = try synthesizer.packets(for: record(.open(open), at: 1))
        let closing = try synthesizer.packets(for: record(.close(SessionClose(by: .client, code: nil, reason: "", error: "connection reset")), at: 2))
        #expect(closing.map { DecodedSegment($0).flags } == [TCPFlags([.rst, .ack]).rawValue])
        #expect(closing.map { DecodedSegment($0).sourcePort } == [51000])
        // the connection is gone: a later message has no wire form
        _ = try synthesizer.packets(for: record(.message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "late"), frames: 1, compressed: false)), at: 3))
        #expect(synthesizer.leftOut.description == "1 message")
    }

    @Test func compressedMessageIsReDeflatedWithRSV1OnItsFrame() throws {
        var synthesizer = PcapSynthesizer()
        let deflate = HTTPResponseRecord(status: 101, headers: [HeaderField("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover")])
        let open = SessionOpen(client: "127.0.0.1:51000", transport: .websocket, upstream: "ws://127.0.0.1:3000", request: upgradeRequest, response: deflate)
        _ = try synthesizer.packets(for: record(.open(open), at: 1))
        let text = String(repeating: "compress me ", count: 50)
        let packets = try synthesizer.packets(for: record(.message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: text), frames: 1, compressed: true)), at: 2))
        let frame = try #require(packets.map(DecodedSegment.init).first { !$0.payload.isEmpty }?.payload)
        #expect(frame[0] == 0xC1)  // FIN, RSV1, text
        let expected = try MessageDeflater.deflate(ByteBuffer(string: text), windowBits: 15)
        #expect(Array(frame.dropFirst(2)) == Array(buffer: expected))
    }

    @Test func ipv6ClientConnectsToTheIPv4MappedUpstream() throws {
        var synthesizer = PcapSynthesizer()
        let open = SessionOpen(client: "[::1]:51000", transport: .websocket, upstream: "ws://127.0.0.1:3000", request: upgradeRequest, response: switching)
        let syn = try #require(try synthesizer.packets(for: record(.open(open), at: 1)).first)
        #expect(Array(buffer: syn.bytes.getSlice(at: 24, length: 16)!) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 127, 0, 0, 1])
    }

    @Test func namedUpstreamGetsAStableMadeUpAddress() {
        let client = IPEndpoint(address: [10, 0, 0, 1], port: 1)
        let first = CaptureEndpoints.server(upstream: "wss://chat.example.com/api", client: client)
        #expect(first == CaptureEndpoints.server(upstream: "wss://chat.example.com:443", client: client))
        #expect(first.port == 443 && first.address[0] == 198 && first.address[1] & 0xFE == 18)
    }
}
