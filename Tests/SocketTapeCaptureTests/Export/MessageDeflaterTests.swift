import CompressNIO
import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@testable import SocketTapeCapture

@Suite struct MessageDeflaterTests {
    /// Inflates `compressed` + `00 00 FF FF` (RFC 7692 §7.2.2) with `inflater`.
    func inflate(_ compressed: ByteBuffer, with inflater: ZlibDecompressor) throws -> ByteBuffer {
        var input = compressed
        input.writeBytes([0x00, 0x00, 0xFF, 0xFF])
        return try input.decompressStream(with: inflater, maxSize: 1 << 24)
    }

    @Test func inflatingTheDeflatedMessageGivesTheRecordedPayload() throws {
        let payload = ByteBuffer(string: String(repeating: "hello everyone, ", count: 200))
        let compressed = try MessageDeflater.deflate(payload, windowBits: 15)
        #expect(compressed.readableBytes < payload.readableBytes / 10)
        let inflater = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
        #expect(try inflate(compressed, with: inflater) == payload)
    }

    @Test func messagesDeflatedAloneInflateInOneContextTakeoverStream() throws {
        let first = ByteBuffer(string: "the same words, the same words")
        let second = ByteBuffer(string: "the same words again")
        let inflater = try ZlibDecompressor(algorithm: .deflate, windowSize: 10)
        #expect(try inflate(MessageDeflater.deflate(first, windowBits: 10), with: inflater) == first)
        #expect(try inflate(MessageDeflater.deflate(second, windowBits: 10), with: inflater) == second)
    }

    @Test func emptyMessageIsOneZeroByte() throws {
        // RFC 7692 §7.2.3.6: an empty uncompressed block, "00" once the tail is removed.
        #expect(Array(buffer: try MessageDeflater.deflate(ByteBuffer(), windowBits: 15)) == [0x00])
    }

    @Test func sessionParserReadsTheSynthesisedCompressedFramesBack() throws {
        // The project's own frame parser, with context takeover, inflates two re-deflated messages.
        var parser = WebSocketStreamParser(sender: .client, deflate: PerMessageDeflateParameters())
        let texts = ["{\"n\":1,\"text\":\"hi hi hi hi\"}", "{\"n\":2,\"text\":\"hi hi hi hi\"}"]
        for (index, text) in texts.enumerated() {
            let message = MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: text), frames: 1, compressed: true)
            let wire = try MessageDeflater.deflate(message.payload, windowBits: 15)
            parser.append(WebSocketMessageFramer.frames(of: message, recorded: [], wirePayload: wire, fallbackMaskingKey: UInt32(index + 1)))
            let parsed = try #require(try parser.nextFrame()?.message)
            #expect(parsed.compressed && parsed.opcode == .text && String(buffer: parsed.payload) == text)
        }
    }
}
