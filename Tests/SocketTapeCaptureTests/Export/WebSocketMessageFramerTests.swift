import NIOCore
import SocketTapeTape
import Testing

@testable import SocketTapeCapture

@Suite struct WebSocketMessageFramerTests {
    /// RFC 6455 §5.7's masking key.
    let key: UInt32 = 0x37FA_213D

    @Test func maskedFragmentedTextKeepsEachFramesHeaderAndLength() {
        let message = MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "Hello"), frames: 2, compressed: false)
        let recorded = [
            FrameInfo(from: .client, opcode: 1, fin: false, rsv: 0, maskingKey: key, payloadLength: 3),
            FrameInfo(from: .client, opcode: 0, fin: true, rsv: 0, maskingKey: key, payloadLength: 2),
        ]
        let bytes = WebSocketMessageFramer.frames(of: message, recorded: recorded, wirePayload: message.payload, fallbackMaskingKey: 1)
        // "Hel" masked as in RFC 6455 §5.7 (7f 9f 4d), then "lo" with the key from its first byte again.
        #expect(Array(buffer: bytes) == [
            0x01, 0x83, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D,
            0x80, 0x82, 0x37, 0xFA, 0x21, 0x3D, 0x5B, 0x95,
        ])
    }

    @Test func recordedEmptyFinalFrameStaysEmpty() {
        let message = MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "abc"), frames: 3, compressed: false)
        let recorded = [
            FrameInfo(from: .server, opcode: 1, fin: false, rsv: 0, maskingKey: nil, payloadLength: 1),
            FrameInfo(from: .server, opcode: 0, fin: false, rsv: 0, maskingKey: nil, payloadLength: 2),
            FrameInfo(from: .server, opcode: 0, fin: true, rsv: 0, maskingKey: nil, payloadLength: 0),
        ]
        let bytes = WebSocketMessageFramer.frames(of: message, recorded: recorded, wirePayload: message.payload, fallbackMaskingKey: 0)
        #expect(Array(buffer: bytes) == [0x01, 0x01, 0x61, 0x00, 0x02, 0x62, 0x63, 0x80, 0x00])
    }

    @Test func clientMessageWithoutFrameRecordsGetsOneFrameMaskedWithTheFallbackKey() {
        let message = MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "Hello"), frames: 1, compressed: false)
        let bytes = WebSocketMessageFramer.frames(of: message, recorded: [], wirePayload: message.payload, fallbackMaskingKey: key)
        #expect(Array(buffer: bytes) == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func proxyMessageWithoutFrameRecordsIsOneUnmaskedFrame() {
        let message = MessageRecord(from: .proxy, opcode: 1, payload: ByteBuffer(string: "Hello"), frames: 1, compressed: false)
        let bytes = WebSocketMessageFramer.frames(of: message, recorded: [], wirePayload: message.payload, fallbackMaskingKey: key)
        #expect(Array(buffer: bytes) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func shorterWirePayloadKeepsABytePerLaterFrameAndLongerGoesToTheLastFrame() {
        let message = MessageRecord(from: .server, opcode: 2, payload: ByteBuffer(bytes: [1, 2, 3]), frames: 2, compressed: true)
        let recorded = [
            FrameInfo(from: .server, opcode: 2, fin: false, rsv: 0b100, maskingKey: nil, payloadLength: 4),
            FrameInfo(from: .server, opcode: 0, fin: true, rsv: 0, maskingKey: nil, payloadLength: 1),
        ]
        let short = WebSocketMessageFramer.frames(of: message, recorded: recorded, wirePayload: ByteBuffer(bytes: [9, 8, 7]), fallbackMaskingKey: 0)
        #expect(Array(buffer: short) == [0x42, 0x02, 9, 8, 0x80, 0x01, 7])
        let long = WebSocketMessageFramer.frames(of: message, recorded: recorded, wirePayload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6]), fallbackMaskingKey: 0)
        #expect(Array(buffer: long) == [0x42, 0x04, 1, 2, 3, 4, 0x80, 0x02, 5, 6])
    }
}
