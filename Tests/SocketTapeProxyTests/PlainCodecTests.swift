import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SocketTapeProxy

/// The proxy's own handshake codecs: the parts they emit are NIO's decoder's and the bytes they
/// write NIO's encoder's; anything else goes to NIO's codecs with every byte, and removing them
/// passes on the bytes behind a handshake.
@Suite struct PlainCodecTests {
    private let handshake = "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    private let frame: [UInt8] = [0x81, 0x82, 1, 2, 3, 4, 0x69, 0x6B]

    private func requests(_ channel: EmbeddedChannel) throws -> [HTTPServerRequestPart] {
        var parts: [HTTPServerRequestPart] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) { parts.append(part) }
        return parts
    }

    private func responses(_ channel: EmbeddedChannel) throws -> [HTTPClientResponsePart] {
        var parts: [HTTPClientResponsePart] = []
        while let part = try channel.readInbound(as: HTTPClientResponsePart.self) { parts.append(part) }
        return parts
    }

    /// What NIO's own decoder makes of `bytes`, for comparison.
    private func nioRequests(_ bytes: [UInt8]) throws -> [HTTPServerRequestPart] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        return try requests(channel)
    }

    @Test func aHandshakeGivesNIOsPartsAndKeepsTheFrameBehindItForTheRelay() throws {
        let bytes = Array(handshake.utf8) + frame
        let decoder = PlainServerCodec()
        let channel = EmbeddedChannel(handler: decoder)
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        #expect(try requests(channel) == nioRequests(Array(handshake.utf8)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.pipeline.syncOperations.removeHandler(decoder).wait()
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: frame))
    }

    @Test func aHandshakeArrivingByteByByteIsReadOnce() throws {
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        for byte in handshake.utf8 {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(try requests(channel) == nioRequests(Array(handshake.utf8)))
    }

    @Test func pipelinedRequestsWithoutBodiesAreAllRead() throws {
        let two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        try channel.writeInbound(ByteBuffer(string: two))
        let parts = try requests(channel)
        #expect(parts == (try nioRequests(Array(two.utf8))))
        #expect(parts.count == 4)
    }

    @Test func aRequestWithABodyGoesToNIOsDecoderWithEveryByte() throws {
        let bytes = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\n\r\n"
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        try channel.writeInbound(ByteBuffer(string: bytes))
        #expect(try requests(channel) == nioRequests(Array(bytes.utf8)))
        #expect((try? channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)) != nil)
        #expect((try? channel.pipeline.syncOperations.handler(type: PlainServerCodec.self)) == nil)
    }

    @Test func bytesThatAreNotHTTPGetNIOsParserError() throws {
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        #expect(throws: HTTPParserError.self) {
            try channel.writeInbound(ByteBuffer(string: "\u{1}\u{2} nonsense\r\n\r\n"))
        }
    }

    /// Counts the reads that reach the socket.
    private final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func bytesBehindAnUpgradeRequestAreBoundedByHoldingReads() throws {
        let counter = ReadCounter()
        let decoder = PlainServerCodec()
        let channel = EmbeddedChannel(handlers: [counter, decoder])
        let behind = PlainServerCodec.maxBytesBehindUpgrade
        try channel.writeInbound(ByteBuffer(bytes: Array(handshake.utf8) + [UInt8](repeating: 0x81, count: behind - 1)))
        #expect(try requests(channel).count == 2)
        var reads = counter.reads
        channel.read()
        #expect(counter.reads == reads + 1)
        try channel.writeInbound(ByteBuffer(bytes: [0x81]))
        reads = counter.reads
        channel.read()
        #expect(counter.reads == reads)
        #expect(decoder.readHeld)
        try channel.pipeline.syncOperations.removeHandler(decoder).wait()
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == behind)
    }

    @Test func nioDecoderClosesWhenBytesPileUpBehindAnUpgradeRequest() throws {
        // Content-Length: 0 is left to NIO's decoder.
        let upgrade = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n"
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        try channel.writeInbound(ByteBuffer(string: upgrade))
        #expect(try requests(channel).count == 2)
        try channel.writeInbound(ByteBuffer(repeating: 0x81, count: 1 << 20))
        #expect(throws: ByteToMessageDecoderError.PayloadTooLargeError.self) {
            try channel.writeInbound(ByteBuffer(bytes: [0x81]))
        }
    }

    /// Counts what reaches it after the connection ended.
    private final class ReadsAfterTheEnd: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var ended = false
        var reads = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if ended { reads += 1 }
        }

        func channelInactive(context: ChannelHandlerContext) {
            ended = true
        }
    }

    /// The handler after a decoder takes request parts only: the bytes a decoder holds when the
    /// connection ends (an unfinished head, frames behind a refused upgrade) must not reach it.
    @Test(arguments: ["GET / HTTP/1.1\r\nHo", "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{81}"])
    func bytesHeldWhenTheConnectionEndsGoNowhere(bytes: String) throws {
        let after = ReadsAfterTheEnd()
        let channel = EmbeddedChannel(handlers: [PlainServerCodec(), after])
        try channel.writeInbound(ByteBuffer(string: bytes))
        _ = try channel.finish(acceptAlreadyClosed: false)
        #expect(after.ended)
        #expect(after.reads == 0)
    }

    @Test func aPlain101GivesNIOsPartsAndKeepsTheFramesBehindIt() throws {
        let answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        let serverFrame: [UInt8] = [0x81, 0x02, 0x68, 0x69]
        let decoder = PlainUpgradeClientCodec()
        let channel = EmbeddedChannel(handler: decoder)
        try channel.writeInbound(ByteBuffer(bytes: Array(answer.utf8) + serverFrame))
        let parts = try responses(channel)
        guard parts.count == 2, case .head(let head) = parts[0], case .end(nil) = parts[1] else {
            Issue.record("parts: \(parts)")
            return
        }
        #expect(head.status == .switchingProtocols)
        #expect(head.status.reasonPhrase == "Switching Protocols")
        #expect(head.headers.map { "\($0.name): \($0.value)" } == [
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        ])
        try channel.writeInbound(ByteBuffer(bytes: [0x81, 0x00]))
        try channel.pipeline.syncOperations.removeHandler(decoder).wait()
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: serverFrame + [0x81, 0x00]))
    }

    @Test func anotherAnswerGoesToNIOsDecoderAsTheAnswerToAGET() throws {
        let answer = "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno"
        let channel = EmbeddedChannel(handler: PlainUpgradeClientCodec())
        try channel.writeInbound(ByteBuffer(string: answer))
        let parts = try responses(channel)
        guard parts.count == 3, case .head(let head) = parts[0], case .body(let body) = parts[1], case .end = parts[2] else {
            Issue.record("parts: \(parts)")
            return
        }
        #expect(head.status == .forbidden)
        #expect(body == ByteBuffer(string: "no"))
        #expect((try? channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)) != nil)
    }

    // MARK: Writing

    private let switchingProtocols = HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: [
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
    ])
    private let handshakeGET = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/chat?room=1", headers: [
        "Host": "h", "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    ])

    /// Every byte written to `channel`'s socket, in order.
    private func written(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
        }
        return bytes
    }

    /// What NIO's `encoder` writes for `parts`, for comparison.
    private func nioBytes<Part>(_ encoder: some ChannelHandler, _ parts: [Part]) throws -> [UInt8] {
        let channel = EmbeddedChannel(handler: encoder)
        for part in parts { try channel.writeOutbound(part) }
        return try written(channel)
    }

    @Test func a101IsWrittenAsNIOsEncoderWritesIt() throws {
        let codec = PlainServerCodec()
        let channel = EmbeddedChannel(handler: codec)
        try channel.writeOutbound(HTTPServerResponsePart.head(switchingProtocols))
        let bytes = try written(channel)
        #expect(bytes == (try nioBytes(HTTPResponseEncoder(), [HTTPServerResponsePart.head(switchingProtocols)])))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"))
        #expect(!codec.encoderAdded)
    }

    @Test func anotherResponseGoesThroughNIOsEncoderFromThenOn() throws {
        let ok = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": "text/plain"])
        let parts: [HTTPServerResponsePart] = [
            .head(ok), .body(.byteBuffer(ByteBuffer(string: "hi"))), .end(nil), .head(switchingProtocols),
        ]
        let codec = PlainServerCodec()
        let channel = EmbeddedChannel(handler: codec)
        for part in parts { try channel.writeOutbound(part) }
        // Chunked, as NIO frames a body without a length.
        #expect(try written(channel) == nioBytes(HTTPResponseEncoder(), parts))
        #expect(codec.encoderAdded)
    }

    @Test func handingRequestsToNIOsDecoderPutsNIOsEncoderInPlace() throws {
        let channel = EmbeddedChannel(handler: PlainServerCodec())
        try channel.writeInbound(ByteBuffer(string: "POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"))
        #expect((try? channel.pipeline.syncOperations.handler(type: PlainServerCodec.self)) == nil)
        try channel.writeOutbound(HTTPServerResponsePart.head(switchingProtocols))
        #expect(try written(channel) == nioBytes(HTTPResponseEncoder(), [HTTPServerResponsePart.head(switchingProtocols)]))
        #expect((try? channel.pipeline.syncOperations.handler(type: HTTPResponseEncoder.self)) != nil)
    }

    @Test func aHandshakeGETIsWrittenAsNIOsEncoderWritesIt() throws {
        let codec = PlainUpgradeClientCodec()
        let channel = EmbeddedChannel(handler: codec)
        let parts: [HTTPClientRequestPart] = [.head(handshakeGET), .end(nil)]
        for part in parts { try channel.writeOutbound(part) }
        let bytes = try written(channel)
        #expect(bytes == (try nioBytes(HTTPRequestEncoder(), parts)))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("GET /chat?room=1 HTTP/1.1\r\nHost: h\r\n"))
        #expect(!codec.encoderAdded)
    }

    @Test(arguments: [
        HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Host": "h", "Content-Length": "2"]),
        HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Host": "h"]),
        HTTPRequestHead(version: .http1_0, method: .GET, uri: "/", headers: ["Host": "h"]),
    ])
    func aRequestWithABodyOrInHTTP10GoesThroughNIOsEncoder(head: HTTPRequestHead) throws {
        let codec = PlainUpgradeClientCodec()
        let channel = EmbeddedChannel(handler: codec)
        let parts: [HTTPClientRequestPart] = [.head(head), .body(.byteBuffer(ByteBuffer(string: "hi"))), .end(nil)]
        for part in parts { try channel.writeOutbound(part) }
        #expect(try written(channel) == nioBytes(HTTPRequestEncoder(), parts))
        #expect(codec.encoderAdded)
    }
}
