/// A malformed or unacceptable `Sec-WebSocket-Extensions` header value.
///
/// RFC 6455 §9.1 and RFC 7692 §7.1 require the client to fail the WebSocket connection when
/// the server's response contains one.
public struct WebSocketExtensionNegotiationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the parameter or offset.
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
