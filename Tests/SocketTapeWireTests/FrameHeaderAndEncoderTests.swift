import NIOCore
import SocketTapeWire
import Testing

struct FrameHeaderAndEncoderTests {
    @Test(arguments: [
        (bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), 6),
        (bytes("82 7e 01 00"), 4),
        (bytes("82 ff 00 00 00 00 00 01 00 00 01 02 03 04"), 14),
    ])
    func peekNeedsTheWholeHeaderAndDoesNotMove(input: [UInt8], headerLength: Int) throws {
        for count in 0..<headerLength {
            #expect(WebSocketFrameHeader.peek(in: ByteBuffer(bytes: input[..<count])) == nil)
        }
        var buffer = ByteBuffer(bytes: [0xAA] + input)
        buffer.moveReaderIndex(forwardBy: 1)
        let header = try #require(WebSocketFrameHeader.peek(in: buffer))
        #expect(header.headerLength == headerLength)
        #expect(buffer.readerIndex == 1)
    }

    @Test func peekReadsEveryField() throws {
        let header = try #require(WebSocketFrameHeader.peek(in: ByteBuffer(bytes: bytes("5a 83 01 02 03 04"))))
        #expect(
            header
                == WebSocketFrameHeader(fin: false, rsv: 0b101, opcode: 0xA, maskingKey: 0x0102_0304, payloadLength: 3)
        )
    }

    @Test(arguments: FeedMode.allCases)
    func nonMinimalLengthIsForwardedAsReceived(mode: FeedMode) throws {
        let input = bytes("81 7e 00 05 48 65 6c 6c 6f  81 7f 00 00 00 00 00 00 00 02 48 69")
        let frames = try parseWhole(input, sender: .server, mode: mode)
        #expect(frames.map(\.message) == [text("Hello"), text("Hi")])
        #expect(frames.map(\.header.headerLength) == [4, 10])
    }

    @Test func encoderMatchesRFC6455Examples() {
        let hello = ByteBuffer(string: "Hello")
        #expect(Array(buffer: WebSocketFrameEncoder.encode(opcode: 1, payload: hello)) == bytes("81 05 48 65 6c 6c 6f"))
        #expect(
            Array(buffer: WebSocketFrameEncoder.encode(opcode: 1, payload: hello, maskingKey: testKey))
                == bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        )
        #expect(
            Array(buffer: WebSocketFrameEncoder.encode(opcode: 1, payload: ByteBuffer(string: "Hel"), fin: false))
                == bytes("01 03 48 65 6c")
        )
        let medium = WebSocketFrameEncoder.encode(opcode: 2, payload: ByteBuffer(repeating: 0, count: 256))
        #expect(Array(buffer: medium.getSlice(at: 0, length: 4)!) == bytes("82 7e 01 00"))
        let large = WebSocketFrameEncoder.encode(opcode: 2, payload: ByteBuffer(repeating: 0, count: 65536))
        #expect(Array(buffer: large.getSlice(at: 0, length: 10)!) == bytes("82 7f 00 00 00 00 00 01 00 00"))
        #expect(large.readableBytes == 65546)
    }

    /// Masking works 8 bytes at a time plus a tail: check every tail length and a few key phases.
    @Test(arguments: 0...40)
    func maskedPayloadsRoundTrip(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
        let input = frame(2, payload, maskingKey: 0xA1B2_C3D4)
        #expect(input.count == payload.count + (length < 126 ? 6 : 8))
        let frames = try parseWhole(input, sender: .client, mode: .allAtOnce)
        #expect(frames.first?.message?.payload == ByteBuffer(bytes: payload))
    }

    @Test func opcodeClassification() {
        #expect((0...15).filter { WebSocketOpcode.isReserved(UInt8($0)) } == [3, 4, 5, 6, 7, 11, 12, 13, 14, 15])
        #expect((0...15).filter { WebSocketOpcode.isControl(UInt8($0)) } == Array(8...15))
        #expect(WebSocketOpcode.allCases.filter(\.isControl) == [.close, .ping, .pong])
    }
}
