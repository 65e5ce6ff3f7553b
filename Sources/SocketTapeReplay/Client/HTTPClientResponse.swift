import NIOCore
import NIOHTTP1

/// A complete HTTP response: head and body.
public struct HTTPClientResponse: Sendable {
    /// Status line and headers.
    public var head: HTTPResponseHead
    /// The body, de-chunked; not content-decoded (no `Accept-Encoding` is sent, so servers send it plain).
    public var body: ByteBuffer

    /// The status.
    public var status: HTTPResponseStatus {
        head.status
    }

    /// The headers.
    public var headers: HTTPHeaders {
        head.headers
    }

    public init(head: HTTPResponseHead, body: ByteBuffer) {
        self.head = head
        self.body = body
    }
}
