import NIOCore
import SocketTapeWire
import Testing

/// One test per rule ``WebSocketStreamParser`` enforces, asserting the exact close code.
struct ParserViolationTests {
    let hello = Array("Hello".utf8)
    let deflate = PerMessageDeflateParameters()

    @Test func unmaskedFrameFromClientIs1002() {
        expectFailure(1002, frame(1, hello), sender: .client)
    }

    @Test func maskedFrameFromServerIs1002() {
        expectFailure(1002, frame(1, hello, maskingKey: testKey), sender: .server)
    }

    @Test func rsv1WithoutDeflateIs1002() {
        expectFailure(1002, frame(1, hello, rsv: 0b100, maskingKey: testKey), sender: .client)
    }

    @Test func rsv1OnContinuationIs1002() {
        let input = bytes("41 03 f2 48 cd  c0 04 c9 c9 07 00")
        expectFailure(1002, input, sender: .server, deflate: deflate)
    }

    @Test func rsv1OnControlFrameIs1002() {
        expectFailure(1002, frame(9, [], rsv: 0b100), sender: .server, deflate: deflate)
    }

    @Test(arguments: [UInt8(0b010), 0b001, 0b110, 0b111])
    func rsv2OrRsv3Is1002(rsv: UInt8) {
        expectFailure(1002, frame(2, hello, rsv: rsv), sender: .server, deflate: deflate)
    }

    @Test(arguments: [UInt8(3), 4, 5, 6, 7, 11, 12, 13, 14, 15])
    func reservedOpcodeIs1002(opcode: UInt8) {
        expectFailure(1002, frame(opcode, [], maskingKey: testKey), sender: .client)
    }

    @Test func controlPayloadOver125Is1002() {
        // Only the header: the error comes before the payload is buffered.
        expectFailure(1002, bytes("89 7e 00 7e"), sender: .server)
        expectFailure(1002, frame(9, Array(repeating: 0x61, count: 126)), sender: .server)
    }

    @Test func controlPayloadOf125IsFine() throws {
        let frames = try parseWhole(frame(10, Array(repeating: 0x61, count: 125)), sender: .server, mode: .allAtOnce)
        #expect(frames.first?.message?.payload.readableBytes == 125)
    }

    @Test func fragmentedControlFrameIs1002() {
        expectFailure(1002, frame(9, hello, fin: false), sender: .server)
    }

    @Test func continuationWithoutMessageIs1002() {
        expectFailure(1002, frame(0, hello), sender: .server)
    }

    @Test func newDataFrameInsideFragmentedMessageIs1002() {
        expectFailure(1002, frame(1, hello, fin: false) + frame(2, hello), sender: .server)
        expectFailure(1002, frame(2, hello, fin: false) + frame(1, hello, fin: false), sender: .server)
    }

    @Test func lengthWithMostSignificantBitIs1002() {
        expectFailure(1002, bytes("82 ff 80 00 00 00 00 00 00 00 37 fa 21 3d"), sender: .client)
    }

    @Test func frameOverMaxFrameSizeIs1009FromTheHeaderAlone() {
        let limits = WebSocketLimits(maxFrameSize: 1000)
        expectFailure(1009, bytes("82 fe 03 e9 37 fa 21 3d"), sender: .client, limits: limits)
        expectFailure(1009, bytes("82 7f 00 00 00 01 00 00 00 00"), sender: .server)
    }

    @Test func frameOfMaxFrameSizeIsFine() throws {
        let input = frame(2, Array(repeating: 7, count: 1000), maskingKey: testKey)
        let frames = try parseWhole(input, sender: .client, limits: .init(maxFrameSize: 1000), mode: .allAtOnce)
        #expect(frames.count == 1)
    }

    @Test func reassembledMessageOverMaxMessageSizeIs1009() {
        let limits = WebSocketLimits(maxMessageSize: 10)
        let input = frame(2, Array(repeating: 1, count: 6), fin: false) + frame(0, Array(repeating: 1, count: 6))
        expectFailure(1009, input, sender: .server, limits: limits)
        expectFailure(1009, frame(2, Array(repeating: 1, count: 11)), sender: .server, limits: limits)
    }

    @Test func invalidUTF8TextIs1007() {
        expectFailure(1007, frame(1, bytes("c0 80")), sender: .server)
        expectFailure(1007, frame(1, bytes("ed a0 80"), maskingKey: testKey), sender: .client)
    }

    @Test func codePointSplitAcrossFragmentsIsFine() throws {
        let input = frame(1, bytes("e2"), fin: false, maskingKey: testKey) + frame(0, bytes("82 ac"), maskingKey: testKey)
        for mode in FeedMode.allCases {
            let frames = try parseWhole(input, sender: .client, mode: mode)
            #expect(frames.last?.message == text("€", frames: 2))
        }
    }

    @Test func incompleteCodePointAtEndOfMessageIs1007() {
        expectFailure(1007, frame(1, bytes("e2"), fin: false) + frame(0, bytes("82")), sender: .server)
    }

    @Test func invalidUTF8FailsBeforeTheFinalFragment() {
        expectFailure(1007, frame(1, bytes("41 ed a0"), fin: false), sender: .server)
    }

    @Test func binaryIsNotCheckedForUTF8() throws {
        let frames = try parseWhole(frame(2, bytes("c0 80 ff")), sender: .server, mode: .allAtOnce)
        #expect(frames.count == 1)
    }

    @Test func badClosePayloadsFail() {
        expectFailure(1002, frame(8, bytes("03")), sender: .server)
        expectFailure(1002, frame(8, bytes("03 ed"), maskingKey: testKey), sender: .client)
        expectFailure(1007, frame(8, bytes("03 e8 c0 80")), sender: .server)
    }

    @Test func errorsAreSticky() throws {
        var parser = WebSocketStreamParser(sender: .client, deflate: nil)
        parser.append(ByteBuffer(bytes: frame(1, hello)))
        #expect(throws: WebSocketProtocolError(closeCode: 1002, reason: "client frame is not masked")) {
            try parser.nextFrame()
        }
        parser.append(ByteBuffer(bytes: frame(1, hello, maskingKey: testKey)))
        // Appended bytes are dropped; the frame that failed stays for whoever resynchronises.
        #expect(parser.bufferedByteCount == frame(1, hello).count)
        #expect(throws: WebSocketProtocolError(closeCode: 1002, reason: "client frame is not masked")) {
            try parser.nextFrame()
        }
        #expect(parser.takeUnparsedBytes() == ByteBuffer(bytes: frame(1, hello)))
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func framesBeforeAnErrorComeOut() throws {
        var parser = WebSocketStreamParser(sender: .server, deflate: nil)
        parser.append(ByteBuffer(bytes: frame(1, hello) + frame(3, [])))
        #expect(try parser.nextFrame()?.message == text("Hello"))
        #expect(throws: WebSocketProtocolError.self) { try parser.nextFrame() }
    }
}
