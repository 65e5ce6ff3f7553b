import NIOCore
import NIOHTTP1

/// One request on its way into an ``HTTPClientExchangeHandler``, with the promise its response completes.
struct HTTPClientExchange: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var promise: EventLoopPromise<HTTPClientResponse>
}
