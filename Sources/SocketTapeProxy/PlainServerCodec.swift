import NIOCore
import NIOHTTP1
import SocketTapeWire

/// The client side's HTTP while requests are heads without bodies — the WebSocket handshake and
/// polling `GET`s. It decodes them and writes a `101 Switching Protocols`; at the first request it
/// does not take (a body, HTTP/1.0, anything unusual) it hands the connection to NIO's
/// `HTTPRequestDecoder`, with every byte not yet passed on, and at the first response it does not
/// write, to NIO's `HTTPResponseEncoder` (``PlainHeadWriter``).
///
/// Why: NIO's codecs cost more per connection than the rest of a WebSocket handshake's relay
/// together (its parser's set-up and callbacks, a `ByteToMessageHandler`, two handlers to add and
/// remove; measured in docs/benchmarks.md, "Handshakes without NIO's HTTP codecs"). It emits the
/// same parts NIO's decoder does (`.head`, then `.end`), and writes the bytes NIO's encoder would.
/// After a request that asks for an upgrade it reads no more HTTP, as NIO's decoder; removing it
/// passes on the bytes it holds, so the first frames a client sends behind its handshake reach the
/// relay. Those are bounded: past ``maxBytesBehindUpgrade`` it reads no more until the upgrade is
/// answered (RFC 6455 §4.1: a client sends nothing more before the answer).
final class PlainServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = ByteBuffer

    /// What a client may send behind a request that asks for an upgrade before it is answered.
    static let maxBytesBehindUpgrade = 64 * 1024

    private var buffer = PlainHeadBuffer()
    private var writer = PlainHeadWriter()
    private var upgradeAsked = false
    private var removed = false
    /// A read held while the bytes behind an upgrade request are at their bound; the relay reads
    /// once the upgrade is done.
    private(set) var readHeld = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer.append(unwrapInboundIn(data))
        while !upgradeAsked, !removed {
            switch buffer.next(.request) {
            case .incomplete:
                return
            case .unsupported:
                handOver(context)
                return
            case .head(let plain, let length):
                guard let head = HTTPRequestHead(plain) else {
                    handOver(context)
                    return
                }
                buffer.consume(length)
                upgradeAsked = head.asksForUpgrade
                context.fireChannelRead(wrapInboundOut(.head(head)))
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        writer.write(data, promise: promise, context: context, plainBytes: {
            guard case .head(let head) = unwrapOutboundIn(data) else { return nil }
            return head.plainSwitchingProtocolsBytes(allocator: context.channel.allocator)
        }, encoder: HTTPResponseEncoder.init)
    }

    var encoderAdded: Bool { writer.encoderAdded }

    func read(context: ChannelHandlerContext) {
        if upgradeAsked, buffer.byteCount >= Self.maxBytesBehindUpgrade {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffer.dropAtEnd(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
        buffer.passOn(context)
    }

    /// More than NIO's decoder holds of any request it is reading (a head is at most 80 KiB, a
    /// body passes through): past it only bytes behind an upgrade request pile up.
    private static let maxBufferedByNIO = 1 << 20

    private func handOver(_ context: ChannelHandlerContext) {
        do {
            try writer.addEncoder(context, HTTPResponseEncoder.init)
        } catch {
            context.fireErrorCaught(error)
            return
        }
        // NIO's decoder keeps the bytes behind an upgrade request too: bounded by closing.
        let decoder = ByteToMessageHandler(
            HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes), maximumBufferSize: Self.maxBufferedByNIO
        )
        context.handOver(to: decoder, bytes: buffer.take())
    }
}
