import NIOCore

/// Settings of an ``HTTPClientConnection``.
public struct HTTPClientOptions: Sendable {
    /// How long a response may take, from sending the request to its last byte. Long-polling
    /// GETs wait up to the server's ping interval, so this is generous. Default 60 s.
    public var responseTimeout: TimeAmount
    /// The largest response body accepted; a larger one fails the request. Default 16 MiB.
    public var maxBodySize: Int

    public init(responseTimeout: TimeAmount = .seconds(60), maxBodySize: Int = 16 << 20) {
        self.responseTimeout = responseTimeout
        self.maxBodySize = maxBodySize
    }
}
