import NIOCore
import NIOHTTP1

/// Runs the exchanges of an ``HTTPClientConnection``, one at a time: writes a request, collects
/// its response (with a size limit and a deadline), completes the request's promise.
///
/// A request written while another waits fails at once. A failed or timed-out exchange closes
/// the connection (what is still on the wire would be taken for the next response), and so
/// does a response with `Connection: close` (or HTTP/1.0 without keep-alive).
final class HTTPClientExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientExchange
    typealias OutboundOut = HTTPClientRequestPart

    private let options: HTTPClientOptions
    /// The connector of the connection, for TLS errors.
    private let connector: ReplayConnector
    private var pending: EventLoopPromise<HTTPClientResponse>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var deadline: Scheduled<Void>?
    private var closed = false

    init(options: HTTPClientOptions, connector: ReplayConnector) {
        self.options = options
        self.connector = connector
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard !closed else {
            exchange.promise.fail(ReplayClientError(.http, "HTTP: the connection is closed"))
            promise?.succeed()
            return
        }
        guard pending == nil else {
            exchange.promise.fail(ReplayClientError(.http, "HTTP: a request is already waiting for its response on this connection"))
            promise?.succeed()
            return
        }
        pending = exchange.promise
        head = nil
        body = ByteBuffer()
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let requestBody = exchange.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(requestBody))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
        let timeout = options.responseTimeout
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            fail(ReplayClientError(.http, "HTTP: no response within \(timeout.spoken)"), context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard pending != nil else { return }
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
        case .body(let part):
            guard body.readableBytes + part.readableBytes <= options.maxBodySize else {
                fail(ReplayClientError(.http, "HTTP: response body exceeds \(options.maxBodySize) bytes"), context: context)
                return
            }
            body.writeImmutableBuffer(part)
        case .end:
            guard let head, let promise = pending else { return }
            deadline?.cancel()
            pending = nil
            if !head.isKeepAlive {
                closed = true
                context.close(promise: nil)
            }
            promise.succeed(HTTPClientResponse(head: head, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        fail(ReplayClientError(.http, "HTTP: connection closed by the server before the response ended"), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure = TLSFailure.isTLSError(error)
            ? TLSFailure.describe(error, connector: connector)
            : ReplayClientError(.http, "HTTP: \(error)")
        fail(failure, context: context)
    }

    /// Fails the waiting request, if any, and closes the connection.
    private func fail(_ error: ReplayClientError, context: ChannelHandlerContext) {
        deadline?.cancel()
        if let promise = pending {
            pending = nil
            promise.fail(error)
        }
        if !closed {
            closed = true
            context.close(promise: nil)
        }
    }
}
