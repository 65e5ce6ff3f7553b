import NIOCore
import NIOHTTP1
import SocketTapeWire

/// Decodes a client's requests while they are heads without bodies — the WebSocket handshake and
/// polling `GET`s — and hands the connection to NIO's `HTTPRequestDecoder` at the first request it
/// does not take (a body, HTTP/1.0, anything unusual), with every byte not yet passed on.
///
/// Why: NIO's decoder costs more per connection than the rest of a WebSocket handshake's relay
/// together (its parser's set-up and callbacks, a `ByteToMessageHandler`; measured in
/// docs/benchmarks.md, "Handshakes without NIO's HTTP decoders"). It emits the same parts NIO's
/// decoder does (`.head`, then `.end`). After a request that asks for an upgrade it reads no more
/// HTTP, as NIO's decoder; removing it passes on the bytes it holds, so the first frames a client
/// sends behind its handshake reach the relay. Those are bounded: past
/// ``maxBytesBehindUpgrade`` it reads no more until the upgrade is answered (RFC 6455 §4.1: a
/// client sends nothing more before the answer).
final class PlainRequestDecoder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    /// Passed on untouched.
    typealias OutboundIn = HTTPServerResponsePart

    /// What a client may send behind a request that asks for an upgrade before it is answered.
    static let maxBytesBehindUpgrade = 64 * 1024

    private var buffer = PlainHeadBuffer()
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

    func read(context: ChannelHandlerContext) {
        if upgradeAsked, buffer.byteCount >= Self.maxBytesBehindUpgrade {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The connection is gone: what it sent behind a head goes nowhere (NIO's decoders drop it
        // at EOF too). Removal only passes bytes on while the connection is open.
        _ = buffer.take()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
        if let rest = buffer.take() {
            context.fireChannelRead(NIOAny(rest))
        }
    }

    /// More than NIO's decoder holds of any request it is reading (a head is at most 80 KiB, a
    /// body passes through): past it only bytes behind an upgrade request pile up.
    private static let maxBufferedByNIO = 1 << 20

    private func handOver(_ context: ChannelHandlerContext) {
        // NIO's decoder keeps the bytes behind an upgrade request too: bounded by closing.
        let decoder = ByteToMessageHandler(
            HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes), maximumBufferSize: Self.maxBufferedByNIO
        )
        context.handOver(to: decoder, bytes: buffer.take())
    }
}
