import NIOCore
import NIOHTTP1
import SocketTapeTape

/// The admin listener's HTTP handler: `GET /metrics` (Prometheus text format) and `GET /healthz`.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let environment: ProxyEnvironment
    private let metrics: ProxyMetrics
    private var path: String?

    init(environment: ProxyEnvironment, metrics: ProxyMetrics) {
        self.environment = environment
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.method == .GET ? String(head.uri.prefix { $0 != "?" }) : nil
        case .body:
            break
        case .end:
            respond(context)
        }
    }

    private func respond(_ context: ChannelHandlerContext) {
        let (status, type, body): (HTTPResponseStatus, String, [UInt8])
        switch path {
        case "/metrics":
            let exposition = metrics.exposition(openConnections: environment.registry.count, tape: environment.writer?.statistics, now: environment.writer?.clock.now())
            (status, type, body) = (.ok, "text/plain; version=0.0.4; charset=utf-8", exposition)
        case "/healthz":
            (status, type, body) = (.ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
        default:
            (status, type, body) = (.notFound, "text/plain; charset=utf-8", Array("not found: GET /metrics or /healthz\n".utf8))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.count)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
