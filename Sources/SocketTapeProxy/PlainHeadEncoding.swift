import NIOCore
import NIOHTTP1
import SocketTapeWire

/// The outbound side of ``PlainServerCodec`` and ``PlainUpgradeClientCodec``: they write the heads
/// of a WebSocket handshake themselves, and put NIO's encoder in front of them (nearer the socket)
/// at the first part they do not write. Every part goes through NIO's encoder from then on.
///
/// Why: NIO's encoders are two more handlers per connection to add and remove again at the
/// upgrade, for one head each; docs/benchmarks.md, "Handshakes without NIO's HTTP codecs".
struct PlainHeadWriter {
    /// Whether NIO's encoder is in place in front of the codec.
    private(set) var encoderAdded = false

    /// Writes one outbound part: as `plainBytes()`, when that gives the part's bytes and NIO's
    /// encoder is not in place; through NIO's encoder otherwise, putting it in place first.
    mutating func write(
        _ data: NIOAny, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext,
        plainBytes: () -> ByteBuffer?, encoder: () -> some ChannelHandler
    ) {
        if !encoderAdded, let bytes = plainBytes() {
            context.write(NIOAny(bytes), promise: promise)
            return
        }
        do {
            try addEncoder(context, encoder)
        } catch {
            promise?.fail(error)
            context.fireErrorCaught(error)
            return
        }
        context.write(data, promise: promise)
    }

    /// Puts NIO's encoder in front of the codec, unless it is there already.
    mutating func addEncoder(_ context: ChannelHandlerContext, _ encoder: () -> some ChannelHandler) throws {
        guard !encoderAdded else { return }
        try context.pipeline.syncOperations.addHandler(encoder(), position: .before(context.handler))
        encoderAdded = true
    }
}

extension HTTPRequestHead {
    /// This head's bytes as NIO's `HTTPRequestEncoder` writes them, for an HTTP/1.1 `GET` without
    /// framing headers (no body): `nil` for any other head.
    func plainGETBytes(allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard version == .http1_1, method == .GET, !headers.frameABody else { return nil }
        var buffer = allocator.buffer(capacity: 256)
        buffer.writeStaticString("GET ")
        buffer.writeString(uri)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        buffer.writeFields(headers)
        return buffer
    }
}

extension HTTPResponseHead {
    /// This head's bytes as NIO's `HTTPResponseEncoder` writes them, for an HTTP/1.1 `101 Switching
    /// Protocols` without framing headers: `nil` for any other head.
    func plainSwitchingProtocolsBytes(allocator: ByteBufferAllocator) -> ByteBuffer? {
        guard version == .http1_1, status.code == 101, !headers.frameABody else { return nil }
        var buffer = allocator.buffer(capacity: 256)
        buffer.writeStaticString("HTTP/1.1 101 ")
        buffer.writeString(status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        buffer.writeFields(headers)
        return buffer
    }
}

extension HTTPHeaders {
    /// Whether a `Content-Length` or `Transfer-Encoding` field is here, which NIO's encoders act on.
    fileprivate var frameABody: Bool {
        contains { $0.name.caseInsensitiveEquals("Content-Length") || $0.name.caseInsensitiveEquals("Transfer-Encoding") }
    }
}

extension ByteBuffer {
    /// Writes `headers` in order, each as `name: value` and CRLF, then the CRLF that ends a head.
    fileprivate mutating func writeFields(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            writeString(name)
            writeStaticString(": ")
            writeString(value)
            writeStaticString("\r\n")
        }
        writeStaticString("\r\n")
    }
}

/// ``PlainServerCodec`` and ``PlainUpgradeClientCodec``, as the proxy removes them at an upgrade.
protocol PlainHTTPCodec: RemovableChannelHandler {
    /// Whether NIO's encoder is in front of the codec: it stays when the codec goes.
    var encoderAdded: Bool { get }
}

extension PlainServerCodec: PlainHTTPCodec {}
extension PlainUpgradeClientCodec: PlainHTTPCodec {}
