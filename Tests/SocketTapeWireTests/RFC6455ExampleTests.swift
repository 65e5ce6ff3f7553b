import NIOCore
import SocketTapeWire
import Testing

/// The examples of RFC 6455 §5.7, each fed all at once and byte by byte.
struct RFC6455ExampleTests {
    @Test(arguments: FeedMode.allCases)
    func singleFrameUnmaskedText(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("81 05 48 65 6c 6c 6f"), sender: .server, mode: mode)
        #expect(frames.map(\.message) == [text("Hello")])
        #expect(frames[0].header == WebSocketFrameHeader(fin: true, opcode: 1, payloadLength: 5))
    }

    @Test(arguments: FeedMode.allCases)
    func singleFrameMaskedText(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), sender: .client, mode: mode)
        #expect(frames.map(\.message) == [text("Hello")])
        #expect(frames[0].header.maskingKey == 0x37FA_213D)
        #expect(frames[0].header.headerLength == 6)
    }

    @Test(arguments: FeedMode.allCases)
    func fragmentedUnmaskedText(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("01 03 48 65 6c  80 02 6c 6f"), sender: .server, mode: mode)
        #expect(frames.count == 2)
        #expect(frames[0].message == nil)
        #expect(frames[0].header.fin == false)
        #expect(frames[1].message == text("Hello", frames: 2))
    }

    @Test(arguments: FeedMode.allCases)
    func controlFrameInsideFragmentedMessage(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("01 03 48 65 6c  89 00  80 02 6c 6f"), sender: .server, mode: mode)
        #expect(frames.map(\.message) == [nil, WebSocketMessage(opcode: .ping, payload: ByteBuffer()), text("Hello", frames: 2)])
    }

    @Test(arguments: FeedMode.allCases)
    func unmaskedPing(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("89 05 48 65 6c 6c 6f"), sender: .server, mode: mode)
        #expect(frames.map(\.message) == [WebSocketMessage(opcode: .ping, payload: ByteBuffer(string: "Hello"))])
    }

    @Test(arguments: FeedMode.allCases)
    func maskedPong(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), sender: .client, mode: mode)
        #expect(frames.map(\.message) == [WebSocketMessage(opcode: .pong, payload: ByteBuffer(string: "Hello"))])
    }

    @Test(arguments: FeedMode.allCases)
    func binaryWith16BitLength(mode: FeedMode) throws {
        let payload = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let frames = try parseWhole(bytes("82 7e 01 00") + payload, sender: .server, mode: mode)
        #expect(frames[0].header.headerLength == 4)
        #expect(frames[0].header.payloadLength == 256)
        #expect(frames.map(\.message) == [WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: payload))])
    }

    @Test(arguments: FeedMode.allCases)
    func binaryWith64BitLength(mode: FeedMode) throws {
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 3) }
        let frames = try parseWhole(bytes("82 7f 00 00 00 00 00 01 00 00") + payload, sender: .server, mode: mode)
        #expect(frames[0].header.headerLength == 10)
        #expect(frames[0].header.payloadLength == 65536)
        #expect(frames.map(\.message) == [WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: payload))])
    }

    @Test(arguments: FeedMode.allCases)
    func allExamplesInOneStream(mode: FeedMode) throws {
        let input = bytes("81 05 48 65 6c 6c 6f  01 03 48 65 6c  80 02 6c 6f  89 05 48 65 6c 6c 6f")
        let frames = try parseWhole(input, sender: .server, mode: mode)
        #expect(frames.compactMap(\.message).map(\.opcode) == [.text, .text, .ping])
    }
}
