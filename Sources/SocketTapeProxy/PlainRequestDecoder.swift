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
/// sends behind its handshake reach the relay.
final class PlainRequestDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart

    private var buffer = PlainHeadBuffer()
    private var upgradeAsked = false
    private var removed = false

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

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
        if let rest = buffer.take() {
            context.fireChannelRead(NIOAny(rest))
        }
    }

    private func handOver(_ context: ChannelHandlerContext) {
        let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
        context.handOver(to: decoder, bytes: buffer.take())
    }
}
