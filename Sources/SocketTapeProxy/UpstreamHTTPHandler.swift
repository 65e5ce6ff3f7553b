import NIOCore
import NIOHTTP1

/// Passes an upstream connection's HTTP responses and events to the client connection that owns it.
final class UpstreamHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Weak: the client connection owns the upstream channel, not the other way round.
    private weak var owner: ClientConnectionHandler?

    init(owner: ClientConnectionHandler) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner?.upstreamResponse(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.upstreamReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        owner?.upstreamEnded(context.channel, error: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        owner?.upstreamEnded(context.channel, error: error)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            owner?.upstreamBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }
}
