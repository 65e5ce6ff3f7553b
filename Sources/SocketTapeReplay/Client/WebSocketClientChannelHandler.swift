import NIOCore
import NIOTLS

/// Passes a channel's events to its ``WebSocketClientConnection``, which does the work.
///
/// Sits last in the pipeline, after the TLS handler if any. The connection writes through this
/// handler's context; the reference between them is dropped when the handler leaves the pipeline.
final class WebSocketClientChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var connection: WebSocketClientConnection?

    init(connection: WebSocketClientConnection) {
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connection?.attach(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connection?.detach()
        connection = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        connection?.channelActive()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection?.received(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection?.readComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        connection?.writabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection?.channelInactive()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection?.errorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            connection?.tlsHandshakeCompleted()
        }
        context.fireUserInboundEventTriggered(event)
    }
}
