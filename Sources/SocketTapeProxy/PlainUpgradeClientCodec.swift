import NIOCore
import NIOHTTP1
import SocketTapeWire

/// The HTTP of an upstream connection opened for a WebSocket handshake: it writes the handshake's
/// `GET` and decodes the upstream's answer when it is a plain `101 Switching Protocols`.
///
/// The upstream side of ``PlainServerCodec``. Any other answer goes, with every byte not yet passed
/// on, to NIO's `HTTPResponseDecoder`, which reads it as the answer to the handshake's `GET`; any
/// request part it does not write goes through NIO's `HTTPRequestEncoder` (``PlainHeadWriter``).
/// It emits what NIO's decoder does (`.head`, then `.end`), reads nothing after the 101, and passes
/// on what it holds when removed, so that frames the server sends right behind its 101 reach the
/// relay.
final class PlainUpgradeClientCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    private var buffer = PlainHeadBuffer()
    private var writer = PlainHeadWriter()
    private var switched = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        buffer.append(unwrapInboundIn(data))
        guard !switched else { return }
        switch buffer.next(.response) {
        case .incomplete:
            return
        case .head(let plain, let length):
            if case .response(101, let reason) = plain.startLine {
                buffer.consume(length)
                switched = true
                let status = HTTPResponseStatus(statusCode: 101, reasonPhrase: reason)
                context.fireChannelRead(wrapInboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(plain.fields)))))
                context.fireChannelRead(wrapInboundOut(.end(nil)))
            } else {
                handOver(context)
            }
        case .unsupported:
            handOver(context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if !writer.encoderAdded, case .end(nil) = unwrapOutboundIn(data) {
            // The end of a request without a body: nothing to write. NIO's encoder passes an empty
            // write on only to complete a promise in order.
            if let promise {
                context.write(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
            }
            return
        }
        writer.write(data, promise: promise, context: context, plainBytes: {
            guard case .head(let head) = unwrapOutboundIn(data) else { return nil }
            return head.plainGETBytes(allocator: context.channel.allocator)
        }, encoder: HTTPRequestEncoder.init)
    }

    var encoderAdded: Bool { writer.encoderAdded }

    private func handOver(_ context: ChannelHandlerContext) {
        let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)
        // The request went out before this decoder was in place: tell it what it answers.
        decoder.write(data: .head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        context.handOver(to: ByteToMessageHandler(decoder), bytes: buffer.take())
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffer.dropAtEnd(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        buffer.passOn(context)
    }
}
