import NIOCore
import SocketTapeWire
import Testing

struct ClosePayloadTests {
    @Test func emptyPayloadHasNoCode() throws {
        let parsed = try WebSocketClosePayload.parse(ByteBuffer())
        #expect(parsed.code == nil)
        #expect(parsed.reason == "")
    }

    @Test func codeAndReason() throws {
        let parsed = try WebSocketClosePayload.parse(ByteBuffer(bytes: bytes("03 e8") + Array("bye ✓".utf8)))
        #expect(parsed.code == 1000)
        #expect(parsed.reason == "bye ✓")
    }

    @Test func oneByteIs1002() {
        #expect(throws: WebSocketProtocolError(closeCode: 1002, reason: "close frame payload of 1 byte")) {
            try WebSocketClosePayload.parse(ByteBuffer(bytes: [0x03]))
        }
    }

    @Test(arguments: [UInt16(1000), 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999])
    func validCodes(code: UInt16) throws {
        var payload = ByteBuffer()
        payload.writeInteger(code)
        #expect(try WebSocketClosePayload.parse(payload).code == code)
    }

    @Test(arguments: [UInt16(0), 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535])
    func invalidCodesAre1002(code: UInt16) {
        var payload = ByteBuffer()
        payload.writeInteger(code)
        #expect(throws: WebSocketProtocolError(closeCode: 1002, reason: "invalid close code \(code)")) {
            try WebSocketClosePayload.parse(payload)
        }
    }

    @Test func invalidUTF8ReasonIs1007() {
        #expect(throws: WebSocketProtocolError(closeCode: 1007, reason: "close reason is not valid UTF-8")) {
            try WebSocketClosePayload.parse(ByteBuffer(bytes: bytes("03 e8 ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80")))
        }
    }

    @Test func closeFrameEncoding() {
        let unmasked = WebSocketFrameEncoder.closeFrame(code: 1000, reason: "bye", maskingKey: nil)
        #expect(Array(buffer: unmasked) == bytes("88 05 03 e8 62 79 65"))
        let masked = WebSocketFrameEncoder.closeFrame(code: 1000, reason: "", maskingKey: testKey)
        #expect(Array(buffer: masked) == bytes("88 82 37 fa 21 3d 34 12"))
    }

    @Test func closeFrameReasonIsCutAtACharacterBoundary() throws {
        let frame = WebSocketFrameEncoder.closeFrame(code: 1001, reason: String(repeating: "é", count: 100), maskingKey: nil)
        let frames = try parseWhole(Array(buffer: frame), sender: .server, mode: .allAtOnce)
        let payload = try #require(frames.first?.message?.payload)
        #expect(payload.readableBytes == 2 + 122)
        #expect(try WebSocketClosePayload.parse(payload).reason == String(repeating: "é", count: 61))
    }
}
