import NIOCore
import NIOPosix
@testable import SocketTapeReplay

/// A WebSocket server in the test process that accepts one handshake and then reads nothing
/// until ``resumeReading()``: the client's writes pile up, as against a server that stalls.
final class StallingServer: Sendable {
    private let listener: any Channel
    private let connection: EventLoopPromise<any Channel>

    /// The port it listens on (127.0.0.1).
    var port: Int {
        listener.localAddress!.port!
    }

    init() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let connection = group.next().makePromise(of: (any Channel).self)
        listener = try await ServerBootstrap(group: group)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HandshakeThenStall(connection: connection))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.connection = connection
    }

    /// Lets the server read (and drop) everything from now on.
    func resumeReading() async throws {
        let channel = try await connection.futureResult.get()
        try await channel.setOption(.autoRead, value: true).get()
    }

    func stop() async throws {
        try await listener.close()
        try? await connection.futureResult.get().close()
    }
}

/// Reads the request head, answers 101, and asks for no more reads.
private final class HandshakeThenStall: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: EventLoopPromise<any Channel>
    private var request = ""
    private var answered = false

    init(connection: EventLoopPromise<any Channel>) {
        self.connection = connection
    }

    func channelActive(context: ChannelHandlerContext) {
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        request += String(buffer: unwrapInboundIn(data))
        guard request.contains("\r\n\r\n") else {
            context.read()
            return
        }
        answered = true
        let key = request.split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { $0.dropFirst("sec-websocket-key:".count).trimmingCharacters() } ?? ""
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocketHandshakeKey.accept(for: key))\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
        connection.succeed(context.channel)
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " })
    }
}
