// Minimal SwiftNIO TCP relay: the per-connection floor of any NIO proxy.
//   nio-floor UPSTREAM_PORT [raw|http]
// raw  (A): bytes relayed both ways from accept on, no parsing.
// http (B): HTTP/1 server codecs on the client, client codecs upstream, removed after the 101.
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Glue

final class GlueHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let a = GlueHandler(), b = GlueHandler()
        a.partner = b
        b.partner = a
        return (a, b)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil; self.partner = nil }

    private func partnerWrite(_ data: NIOAny) { context?.write(data, promise: nil) }
    private func partnerFlush() { context?.flush() }
    private func partnerClose() { context?.close(promise: nil) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.partnerWrite(data) }
    func channelReadComplete(context: ChannelHandlerContext) { partner?.partnerFlush() }
    func channelInactive(context: ChannelHandlerContext) { partner?.partnerClose() }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

// MARK: - Variant B: HTTP handshake, then glue

final class UpstreamHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    weak var owner: ClientHTTPHandler?
    init(owner: ClientHTTPHandler) { self.owner = owner }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { owner?.upstreamResponse(unwrapInboundIn(data)) }
    func channelInactive(context: ChannelHandlerContext) { owner?.upstreamEnded() }
    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

final class ClientHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let upstreamAddress: SocketAddress
    private var context: ChannelHandlerContext?
    private var upstream: (any Channel)?
    private var waiting: [HTTPClientRequestPart] = []
    private var response: HTTPResponseHead?

    init(upstreamAddress: SocketAddress) { self.upstreamAddress = upstreamAddress }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part: HTTPClientRequestPart
        switch unwrapInboundIn(data) {
        case .head(let head):
            part = .head(head)
            connect(context: context)
        case .body(let b): part = .body(.byteBuffer(b))
        case .end(let t): part = .end(t)
        }
        if let upstream {
            upstream.write(part, promise: nil)
            if case .end = part { upstream.flush() }
        } else {
            waiting.append(part)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        upstream?.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    private func connect(context: ChannelHandlerContext) {
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                }
            }
            .connect(to: upstreamAddress)
            .assumeIsolated().whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    guard self.context != nil else { channel.close(promise: nil); return }
                    do {
                        try channel.pipeline.syncOperations.addHandler(UpstreamHTTPHandler(owner: self))
                    } catch {
                        channel.close(promise: nil); self.context?.close(promise: nil); return
                    }
                    upstream = channel
                    for p in waiting { channel.write(p, promise: nil) }
                    waiting.removeAll()
                    channel.flush()
                case .failure:
                    self.context?.close(promise: nil)
                }
            }
    }

    func upstreamEnded() {
        if response == nil { context?.close(promise: nil) }
    }

    func upstreamResponse(_ part: HTTPClientResponsePart) {
        guard let context else { return }
        switch part {
        case .head(let head):
            response = head
            if head.status != .switchingProtocols {
                context.write(wrapOutboundOut(.head(head)), promise: nil)
            }
        case .body(let b):
            context.write(wrapOutboundOut(.body(.byteBuffer(b))), promise: nil)
        case .end(let t):
            if let response, response.status == .switchingProtocols {
                completeUpgrade(context: context, response: response)
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(t))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        }
    }

    private func completeUpgrade(context: ChannelHandlerContext, response: HTTPResponseHead) {
        guard let upstreamChannel = upstream else { return }
        context.writeAndFlush(wrapOutboundOut(.head(response)), promise: nil)
        let clientChannel = context.channel
        do {
            let (a, b) = GlueHandler.matchedPair()
            let up = upstreamChannel.pipeline.syncOperations
            let cl = context.pipeline.syncOperations
            try cl.addHandler(a)
            try up.addHandler(b)
            up.removeHandler(try up.handler(type: UpstreamHTTPHandler.self), promise: nil)
            up.removeHandler(try up.handler(type: HTTPRequestEncoder.self), promise: nil)
            cl.removeHandler(context: context, promise: nil)
            cl.removeHandler(try cl.handler(type: HTTPResponseEncoder.self), promise: nil)
            let r1 = up.removeHandler(try up.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self))
            let r2 = cl.removeHandler(try cl.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self))
            r1.and(r2).assumeIsolated().whenComplete { result in
                guard case .success = result else {
                    clientChannel.close(promise: nil); upstreamChannel.close(promise: nil); return
                }
                clientChannel.read()
                upstreamChannel.read()
            }
        } catch {
            clientChannel.close(promise: nil)
            upstreamChannel.close(promise: nil)
        }
    }
}

// MARK: - main

let args = CommandLine.arguments
guard args.count >= 2, let upstreamPort = Int(args[1]) else {
    print("usage: nio-floor UPSTREAM_PORT [raw|http]")
    exit(2)
}
let mode = args.count >= 3 ? args[2] : "raw"
let upstreamAddress = try SocketAddress(ipAddress: "127.0.0.1", port: upstreamPort)
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

let bootstrap = ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { child in
        if mode == "http" {
            return child.eventLoop.makeCompletedFuture {
                let sync = child.pipeline.syncOperations
                try sync.addHandler(HTTPResponseEncoder())
                try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
                try sync.addHandler(ClientHTTPHandler(upstreamAddress: upstreamAddress))
            }
        }
        // raw: the child is registered (and starts reading) only once this future completes,
        // i.e. after the upstream is connected and both glue halves are in place.
        return ClientBootstrap(group: child.eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { upstream in
                upstream.eventLoop.makeCompletedFuture {
                    let (a, b) = GlueHandler.matchedPair()
                    try child.pipeline.syncOperations.addHandler(a)
                    try upstream.pipeline.syncOperations.addHandler(b)
                }
            }
            .connect(to: upstreamAddress)
            .map { _ in }
    }

let server = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
print("listening on 127.0.0.1:\(server.localAddress!.port!) mode=\(mode)")
fflush(nil)
try server.closeFuture.wait()
