import NIOCore
import SocketTapeWire

/// Moves the bytes one side of an upgraded connection sends into its ``WebSocketRelay``, and holds
/// that side's reads while the other side cannot take more (backpressure).
///
/// One instance sits at the end of each of the two pipelines of a relayed WebSocket session.
final class WebSocketRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Who sends the bytes this channel reads.
    let side: WebSocketRole
    /// Cleared when the handler leaves the pipeline, which breaks the relay ↔ handler cycle.
    private var relay: WebSocketRelay?
    private var context: ChannelHandlerContext?
    /// A read the relay held back, not issued yet.
    private(set) var readHeld = false

    init(side: WebSocketRole, relay: WebSocketRelay) {
        self.side = side
        self.relay = relay
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.relay = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        relay?.received(unwrapInboundIn(data), from: side)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        relay?.readComplete(from: side)
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay?.connectionEnded(side: side, error: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        relay?.connectionEnded(side: side, error: error)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            relay?.resumeReading(from: side.peer)
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if relay?.mayRead(from: side) ?? true {
            context.read()
        } else {
            readHeld = true
        }
    }

    /// Issues a read that ``read(context:)`` held back, now that the other side drained.
    func resumeReading() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    /// Writes bytes to this side without flushing.
    func write(_ bytes: ByteBuffer) {
        context?.write(wrapOutboundOut(bytes), promise: nil)
    }

    /// Flushes what ``write(_:)`` queued.
    func flush() {
        context?.flush()
    }

    /// Whether this side's socket accepts more bytes without queueing past its high-water mark.
    var isWritable: Bool {
        context?.channel.isWritable ?? false
    }

    /// Writes `bytes` (a close frame), flushes, and closes the connection once they are out.
    ///
    /// The proxy closes its sending half first and reads on, discarding, until the peer closes
    /// too (at most ``lingerTime``): closing a socket with unread bytes sends a reset, which can
    /// destroy the close frame before the peer has read it.
    func writeAndClose(_ bytes: ByteBuffer?) {
        guard let context else { return }
        guard let bytes else {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in
            let halfClosed = channel.eventLoop.makePromise(of: Void.self)
            channel.close(mode: .output, promise: halfClosed)
            halfClosed.futureResult.whenComplete { result in
                if case .failure = result {
                    channel.close(promise: nil)
                    return
                }
                channel.eventLoop.scheduleTask(in: Self.lingerTime) { channel.close(promise: nil) }
            }
        }
    }

    /// How long a closed session's socket keeps reading, waiting for the peer to close.
    static let lingerTime = TimeAmount.seconds(2)
}

extension WebSocketRole {
    /// The other end of the connection.
    var peer: WebSocketRole {
        self == .client ? .server : .client
    }
}
