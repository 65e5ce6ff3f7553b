import NIOCore
import SocketTapeWire
import Testing

/// The examples of RFC 7692 §7.2.3 (server to client, unmasked), each fed all at once and byte by byte.
struct RFC7692ExampleTests {
    let deflate = PerMessageDeflateParameters()

    @Test(arguments: FeedMode.allCases)
    func helloCompressed(mode: FeedMode) throws {
        let frames = try parseWhole(bytes("c1 07 f2 48 cd c9 c9 07 00"), sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true)])
        #expect(frames[0].header.rsv == 0b100)
    }

    @Test(arguments: FeedMode.allCases)
    func helloCompressedAndFragmented(mode: FeedMode) throws {
        let input = bytes("41 03 f2 48 cd  80 04 c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [nil, text("Hello", frames: 2, compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func helloCompressedMaskedFromClient(mode: FeedMode) throws {
        let input = frame(1, bytes("f2 48 cd c9 c9 07 00"), rsv: 0b100, maskingKey: testKey)
        let frames = try parseWhole(input, sender: .client, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func pingInsideCompressedMessageIsNotInflated(mode: FeedMode) throws {
        let input = bytes("41 03 f2 48 cd  89 02 48 69  80 04 c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(
            frames.map(\.message) == [
                nil, WebSocketMessage(opcode: .ping, payload: ByteBuffer(string: "Hi")), text("Hello", frames: 2, compressed: true),
            ]
        )
    }

    @Test(arguments: FeedMode.allCases)
    func sharingLZ77Window(mode: FeedMode) throws {
        let input = bytes("c1 07 f2 48 cd c9 c9 07 00  c1 05 f2 00 11 00 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true), text("Hello", compressed: true)])
    }

    @Test func senderNoContextTakeoverResetsTheWindow() {
        let input = bytes("c1 07 f2 48 cd c9 c9 07 00  c1 05 f2 00 11 00 00")
        expectFailure(1007, input, sender: .server, deflate: .init(serverNoContextTakeover: true))
    }

    @Test(arguments: FeedMode.allCases)
    func receiverNoContextTakeoverKeepsTheSendersWindow(mode: FeedMode) throws {
        let input = bytes("c1 07 f2 48 cd c9 c9 07 00  c1 05 f2 00 11 00 00")
        let frames = try parseWhole(input, sender: .server, deflate: .init(clientNoContextTakeover: true), mode: mode)
        #expect(frames.compactMap(\.message).count == 2)
    }

    @Test(arguments: FeedMode.allCases)
    func noCompressionBlock(mode: FeedMode) throws {
        let input = bytes("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func blockWithBFINALThenAnotherMessage(mode: FeedMode) throws {
        let input = bytes("c1 08 f3 48 cd c9 c9 07 00 00  c1 07 f2 48 cd c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true), text("Hello", compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func twoDeflateBlocksInOneMessage(mode: FeedMode) throws {
        let input = bytes("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello", compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func uncompressedMessageInDeflateSession(mode: FeedMode) throws {
        let input = bytes("81 05 48 65 6c 6c 6f  c1 07 f2 48 cd c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.map(\.message) == [text("Hello"), text("Hello", compressed: true)])
    }

    @Test(arguments: FeedMode.allCases)
    func emptyMessages(mode: FeedMode) throws {
        // §7.2.3.6 (an empty message compressed to a single 00), then a compressed message
        // whose first fragment is empty.
        let input = bytes("c1 01 00  41 00  80 07 f2 48 cd c9 c9 07 00")
        let frames = try parseWhole(input, sender: .server, deflate: deflate, mode: mode)
        #expect(frames.compactMap(\.message) == [text("", compressed: true), text("Hello", frames: 2, compressed: true)])
    }

    /// 64 KiB of zeros deflated to 79 bytes.
    static let zeros64KiB = bytes(
        "ecc101010000008090feafee080a" + String(repeating: "00", count: 63) + "6a00"
    )

    @Test(arguments: FeedMode.allCases)
    func inflatesUpToTheMessageLimit(mode: FeedMode) throws {
        let input = bytes("c2 4f") + Self.zeros64KiB
        let frames = try parseWhole(
            input, sender: .server, deflate: deflate, limits: .init(maxMessageSize: 65536), mode: mode
        )
        #expect(frames.first?.message?.payload == ByteBuffer(repeating: 0, count: 65536))
    }

    @Test func inflatedSizeOverTheLimitIs1009() {
        expectFailure(1009, bytes("c2 4f") + Self.zeros64KiB, sender: .server, deflate: deflate, limits: .init(maxMessageSize: 65535))
        expectFailure(1009, bytes("c1 07 f2 48 cd c9 c9 07 00"), sender: .server, deflate: deflate, limits: .init(maxMessageSize: 4))
    }

    @Test func corruptDeflateDataIs1007() {
        expectFailure(1007, bytes("c2 01 ff"), sender: .server, deflate: deflate)
    }

    @Test func invalidUTF8InsideCompressedTextIs1007() {
        // A stored block holding C0 80 (an overlong NUL).
        expectFailure(1007, bytes("c1 07 00 02 00 fd ff c0 80"), sender: .server, deflate: deflate)
    }

    @Test(arguments: [8, 9, 15])
    func smallWindowsInflate(bits: Int) throws {
        let parameters = PerMessageDeflateParameters(serverMaxWindowBits: bits)
        let frames = try parseWhole(bytes("c1 07 f2 48 cd c9 c9 07 00"), sender: .server, deflate: parameters, mode: .allAtOnce)
        #expect(frames.map(\.message) == [text("Hello", compressed: true)])
    }
}
