/// A WebSocket frame opcode (RFC 6455 §5.2, §11.8).
///
/// Only the six opcodes RFC 6455 defines are cases; a raw nibble that is not one of them is
/// reserved (``isReserved(_:)``) and makes ``WebSocketStreamParser`` fail the connection with 1002.
public enum WebSocketOpcode: UInt8, Sendable, Hashable, CaseIterable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Whether a raw opcode nibble denotes a control frame (RFC 6455 §5.5: the high bit of the nibble is set).
    ///
    /// True for reserved control opcodes 0xB–0xF as well.
    public static func isControl(_ raw: UInt8) -> Bool {
        raw & 0x8 != 0
    }

    /// Whether a raw opcode nibble is reserved for future use (RFC 6455 §5.2): 0x3–0x7 and 0xB–0xF.
    public static func isReserved(_ raw: UInt8) -> Bool {
        (0x3...0x7).contains(raw) || (0xB...0xF).contains(raw)
    }

    /// Whether this opcode denotes a control frame (close, ping or pong).
    public var isControl: Bool {
        Self.isControl(rawValue)
    }
}
