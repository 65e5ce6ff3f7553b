/// A violation of RFC 6455 or RFC 7692 by the peer, with the close code to fail the connection with.
///
/// Codes used by this module: 1002 (protocol error), 1007 (invalid payload data: bad UTF-8 or
/// bad DEFLATE data), 1009 (message too big) and 1011 (the inflater could not be created).
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code to send (RFC 6455 §7.4.1).
    public var closeCode: UInt16

    /// A short, human-readable reason; at most 123 bytes of UTF-8 so it fits a close frame (RFC 6455 §5.5).
    public var reason: String

    /// Creates an error; a longer `reason` is cut at a character boundary to 123 bytes.
    public init(closeCode: UInt16, reason: String) {
        self.closeCode = closeCode
        self.reason = reason.truncatedUTF8(toAtMost: 123)
    }

    public var description: String {
        "WebSocket protocol error \(closeCode): \(reason)"
    }

    static func protocolError(_ reason: String) -> Self {
        Self(closeCode: 1002, reason: reason)
    }

    static func invalidPayload(_ reason: String) -> Self {
        Self(closeCode: 1007, reason: reason)
    }

    static func messageTooBig(_ reason: String) -> Self {
        Self(closeCode: 1009, reason: reason)
    }

    static func internalError(_ reason: String) -> Self {
        Self(closeCode: 1011, reason: reason)
    }
}
