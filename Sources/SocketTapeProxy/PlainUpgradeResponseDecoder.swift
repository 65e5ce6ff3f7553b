import NIOCore
import NIOHTTP1
import SocketTapeWire

/// Decodes the upstream's answer to a WebSocket handshake when it is a plain `101 Switching
/// Protocols`; any other answer goes, with every byte not yet passed on, to NIO's
/// `HTTPResponseDecoder`, which reads it as the answer to the handshake's `GET`.
///
/// The upstream side of ``PlainRequestDecoder``: it emits what NIO's decoder does (`.head`, then
/// `.end`), reads nothing after the 101, and passes on what it holds when removed, so that frames
/// the server sends right behind its 101 reach the relay.
final class PlainUpgradeResponseDecoder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPClientResponsePart

    private var buffer = PlainHeadBuffer()
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

    private func handOver(_ context: ChannelHandlerContext) {
        let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)
        // The request went out before this decoder was in place: tell it what it answers.
        decoder.write(data: .head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        context.handOver(to: ByteToMessageHandler(decoder), bytes: buffer.take())
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The connection is gone: what it sent behind a head goes nowhere (NIO's decoders drop it
        // at EOF too). Removal only passes bytes on while the connection is open.
        _ = buffer.take()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let rest = buffer.take() {
            context.fireChannelRead(NIOAny(rest))
        }
    }
}
