import NIOCore

/// The payload of a close frame: an optional status code and a UTF-8 reason (RFC 6455 §5.5.1).
public enum WebSocketClosePayload {
    /// Validates and decodes a close frame's (unmasked) payload.
    ///
    /// - An empty payload is valid: no code, empty reason.
    /// - A 1-byte payload is a protocol error (1002).
    /// - The code must be one an endpoint may send (``isValidCode(_:)``), else 1002.
    /// - The reason must be valid UTF-8 (RFC 6455 §5.5.1, §8.1), else 1007.
    ///
    /// - Returns: The code (nil for an empty payload) and the reason.
    /// - Throws: ``WebSocketProtocolError`` with close code 1002 or 1007.
    public static func parse(_ payload: ByteBuffer) throws(WebSocketProtocolError) -> (code: UInt16?, reason: String) {
        var payload = payload
        guard payload.readableBytes > 0 else { return (nil, "") }
        guard let code = payload.readInteger(as: UInt16.self) else {
            throw .protocolError("close frame payload of 1 byte")
        }
        guard isValidCode(code) else {
            throw .protocolError("invalid close code \(code)")
        }
        guard UTF8Validator.isValid(payload) else {
            throw .invalidPayload("close reason is not valid UTF-8")
        }
        return (code, String(buffer: payload))
    }

    /// Whether `code` may appear in a close frame on the wire.
    ///
    /// Valid: 1000–1003 and 1007–1011 (RFC 6455 §7.4.1); 1012–1014 (registered in the IANA
    /// "WebSocket Close Code Number Registry": service restart, try again later, bad gateway,
    /// and accepted by current Autobahn-compliant peers); 3000–4999 (§7.4.2, registered and
    /// private use). Invalid: below 1000, 1004 (reserved), 1005, 1006 and 1015 (must never be
    /// sent, §7.4.1), and the unassigned 1016–2999.
    public static func isValidCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
