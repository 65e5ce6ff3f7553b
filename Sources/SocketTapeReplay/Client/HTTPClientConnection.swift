import NIOCore
import NIOHTTP1
import SocketTapeTape

/// A small HTTP/1.1 client on one connection, for Engine.IO long-polling: requests go one
/// after another on the same (kept-alive) connection.
///
/// One request may wait for its response at a time; a second one fails at once with
/// ``ReplayClientError/Kind/http`` (long-polling needs two connections: one for the waiting
/// GET, one for POSTs). Responses may be chunked or have a `Content-Length`; no
/// `Accept-Encoding` is sent, so bodies come plain. A failed exchange, a timeout, or a
/// response with `Connection: close` closes the connection; later requests then fail.
///
/// Methods may be called from any thread; futures complete on the connection's event loop.
public final class HTTPClientConnection: Sendable {
    private let channel: any Channel
    private let target: ReplayTarget

    private init(channel: any Channel, target: ReplayTarget) {
        self.channel = channel
        self.target = target
    }

    /// The event loop of the connection.
    public var eventLoop: any EventLoop {
        channel.eventLoop
    }

    /// Connects to the connector's target on `eventLoop`.
    ///
    /// - Returns: The connection once TCP is up (TLS then negotiates before the first request
    ///   goes out), or a ``ReplayClientError`` of kind ``ReplayClientError/Kind/connect``.
    public static func connect(
        using connector: ReplayConnector,
        options: HTTPClientOptions = .init(),
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<HTTPClientConnection> {
        connector.connect(on: eventLoop, waterMark: .init(low: 32 << 10, high: 64 << 10)) { pipeline in
            try pipeline.addHTTPClientHandlers()
            try pipeline.addHandler(HTTPClientExchangeHandler(options: options, connector: connector))
        }.map { channel in
            HTTPClientConnection(channel: channel, target: connector.target)
        }
    }

    /// Sends a request and collects its response.
    ///
    /// Sent headers: `Host` (the target's, unless `headers` has one), then `headers` in order,
    /// then `Content-Length` for a body (or 0 for a `POST` or `PUT` without one) — a
    /// `Content-Length` or `Transfer-Encoding` in `headers` is dropped.
    ///
    /// - Parameters:
    ///   - method: The method.
    ///   - target: The request target (path and query); the target URL's path prefix goes in front.
    ///   - headers: Request headers.
    ///   - body: The body, if any.
    /// - Returns: The response, or a ``ReplayClientError`` (kinds ``ReplayClientError/Kind/http``
    ///   and ``ReplayClientError/Kind/tls``).
    public func request(
        method: HTTPMethod,
        target requestTarget: String,
        headers: [HeaderField] = [],
        body: ByteBuffer? = nil
    ) -> EventLoopFuture<HTTPClientResponse> {
        var fields = HTTPHeaders()
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            fields.add(name: "Host", value: target.hostHeader)
        }
        for field in headers where !["content-length", "transfer-encoding"].contains(field.name.lowercased()) {
            fields.add(name: field.name, value: field.value)
        }
        if let body {
            fields.add(name: "Content-Length", value: String(body.readableBytes))
        } else if method == .POST || method == .PUT {
            fields.add(name: "Content-Length", value: "0")
        }
        let head = HTTPRequestHead(
            version: .http1_1, method: method, uri: target.requestTarget(for: requestTarget), headers: fields
        )
        let promise = channel.eventLoop.makePromise(of: HTTPClientResponse.self)
        channel.writeAndFlush(HTTPClientExchange(head: head, body: body, promise: promise)).whenFailure { error in
            promise.fail(ReplayClientError(.http, "HTTP: the request could not be sent: \(error)"))
        }
        return promise.futureResult
    }

    /// Closes the connection.
    public func close() -> EventLoopFuture<Void> {
        channel.close()
    }
}
