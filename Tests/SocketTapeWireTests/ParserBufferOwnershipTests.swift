import NIOCore
import SocketTapeWire
import Testing

/// The parser takes a socket's read buffer without copying it. Once every byte of it is parsed,
/// the parser must let go, so that SwiftNIO can reuse the buffer for the next read instead of
/// allocating another one for every connection.
struct ParserBufferOwnershipTests {
    private static let helloFrom: [WebSocketRole: [UInt8]] = [
        .server: bytes("81 05 48 65 6c 6c 6f"),
        .client: bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
    ]

    /// Whether a write to `buffer` happens in place, which it does only while no other value
    /// shares its storage (otherwise the storage is copied first).
    private func writesInPlace(_ buffer: inout ByteBuffer) -> Bool {
        let before = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        buffer.setInteger(UInt8(0), at: buffer.readerIndex)
        let after = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        return before == after
    }

    private func drain(_ parser: inout WebSocketStreamParser) throws -> Int {
        var frames = 0
        while try parser.nextFrame() != nil {
            frames += 1
        }
        return frames
    }

    @Test(arguments: [WebSocketRole.server, .client])
    func drainedReadBufferIsReleased(sender: WebSocketRole) throws {
        var parser = WebSocketStreamParser(sender: sender, deflate: nil)
        var received = ByteBuffer(bytes: Self.helloFrom[sender]! + Self.helloFrom[sender]!)
        parser.append(received)
        #expect(try drain(&parser) == 2)
        #expect(writesInPlace(&received))
    }

    @Test(arguments: [WebSocketRole.server, .client])
    func bytesAfterAFrameAreKept(sender: WebSocketRole) throws {
        let frame = Self.helloFrom[sender]!
        var parser = WebSocketStreamParser(sender: sender, deflate: nil)
        parser.append(ByteBuffer(bytes: frame + frame.prefix(3)))
        #expect(try drain(&parser) == 1)
        #expect(parser.bufferedByteCount == 3)
        parser.append(ByteBuffer(bytes: frame.dropFirst(3)))
        #expect(try drain(&parser) == 1)
        #expect(parser.bufferedByteCount == 0)
    }

    /// A frame cut after its first byte, inside the rest of its header, or in its payload.
    @Test(arguments: [WebSocketRole.server, .client], [1, 3, 6])
    func partialFrameKeepsReadBuffer(sender: WebSocketRole, received count: Int) throws {
        let frame = sender == .server ? bytes("81 7e 00 7e") + Array(repeating: 0x61, count: 126) : Self.helloFrom[.client]!
        var parser = WebSocketStreamParser(sender: sender, deflate: nil)
        var received = ByteBuffer(bytes: frame.prefix(count))
        parser.append(received)
        #expect(try drain(&parser) == 0)
        #expect(parser.bufferedByteCount == count)
        #expect(!writesInPlace(&received))
        parser.append(ByteBuffer(bytes: frame.dropFirst(count)))
        #expect(try drain(&parser) == 1)
        #expect(parser.bufferedByteCount == 0)
    }
}
