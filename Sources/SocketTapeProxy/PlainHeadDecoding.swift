import NIOCore
import NIOHTTP1
import SocketTapeWire

/// The bytes a plain-head decoder has read and not yet passed on, and the heads they start with.
///
/// Shared by ``PlainServerCodec`` and ``PlainUpgradeClientCodec``: each reads the heads it
/// can with ``PlainHTTPHead`` and hands the connection to NIO's full decoder at the first message
/// it does not take.
struct PlainHeadBuffer {
    /// The longest head read here; a longer one goes to NIO's decoder, which applies its own limit.
    static let maxHeadLength = 16 * 1024

    private var bytes: ByteBuffer?

    /// How many bytes are held.
    var byteCount: Int { bytes?.readableBytes ?? 0 }

    /// Adds bytes read from the connection.
    mutating func append(_ buffer: ByteBuffer) {
        if bytes == nil || bytes!.readableBytes == 0 {
            bytes = buffer
        } else {
            var buffer = buffer
            bytes!.writeBuffer(&buffer)
        }
    }

    /// Reads the next head, leaving its bytes in place (``consume(_:)`` passes over them).
    func next(_ kind: PlainHTTPHead.Kind) -> PlainHTTPHead.ReadResult {
        guard let bytes, bytes.readableBytes > 0 else { return .incomplete }
        return bytes.withUnsafeReadableBytes { PlainHTTPHead.read($0, kind: kind, maxLength: Self.maxHeadLength) }
    }

    /// Passes over the first `length` bytes: a head that ``next(_:)`` read and the caller took.
    mutating func consume(_ length: Int) {
        bytes?.moveReaderIndex(forwardBy: length)
    }

    /// Takes every byte not passed on yet, leaving the buffer empty.
    mutating func take() -> ByteBuffer? {
        defer { bytes = nil }
        guard let bytes, bytes.readableBytes > 0 else { return nil }
        return bytes
    }

    /// What a decoder does at `channelInactive`: the connection is gone, so what it sent behind a
    /// head goes nowhere (NIO's decoders drop it at EOF too).
    mutating func dropAtEnd(_ context: ChannelHandlerContext) {
        bytes = nil
        context.fireChannelInactive()
    }

    /// What a decoder does at `handlerRemoved`: every byte not passed on yet goes to the next
    /// handler (the relay, after a handshake), while the connection is open.
    mutating func passOn(_ context: ChannelHandlerContext) {
        if let rest = take() {
            context.fireChannelRead(NIOAny(rest))
        }
    }
}

extension ChannelHandlerContext {
    /// Puts `decoder` right after this context's handler, passes it `bytes`, and removes this
    /// context's handler: the connection's HTTP goes to NIO's full decoder from here on.
    func handOver(to decoder: some ChannelHandler, bytes: ByteBuffer?) {
        let pipeline = self.pipeline.syncOperations
        do {
            try pipeline.addHandler(decoder, position: .after(handler))
        } catch {
            fireErrorCaught(error)
            return
        }
        if let bytes {
            fireChannelRead(NIOAny(bytes))
        }
        pipeline.removeHandler(context: self, promise: nil)
    }
}

extension HTTPRequestHead {
    /// The request a plain head starts, or nil for a response head.
    init?(_ plain: PlainHTTPHead) {
        guard case .request(let method, let target) = plain.startLine else { return nil }
        self.init(version: .http1_1, method: HTTPMethod(rawValue: method), uri: target, headers: HTTPHeaders(plain.fields))
    }

    /// Whether the request asks to switch protocols (`Connection: upgrade` with `Upgrade`), after
    /// which NIO's decoder stops reading HTTP too.
    var asksForUpgrade: Bool {
        headers.contains { $0.name.caseInsensitiveEquals("Upgrade") } && headers.lists("Connection", token: "upgrade")
    }
}

extension HTTPHeaders {
    /// Whether a field `name` lists `token` (any case), as `Connection: keep-alive, Upgrade` lists
    /// `upgrade`. Compared in place: no lowercased copies per connection.
    func lists(_ name: String, token: String) -> Bool {
        contains { $0.name.caseInsensitiveEquals(name) && $0.value.listsToken(token) }
    }
}
