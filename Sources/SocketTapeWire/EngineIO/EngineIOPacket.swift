import NIOCore

/// One Engine.IO packet: a type and optional data (engine.io-protocol, "Protocol").
public struct EngineIOPacket: Sendable, Equatable {
    /// The data of a packet.
    public enum Payload: Sendable, Equatable {
        /// No data (`"2"`, `"5"`, `"4"`).
        case empty
        /// Text data: everything after the type character (`"probe"` in `"2probe"`).
        case text(String)
        /// Binary data: a WebSocket binary frame (without v3's type byte), a `b` base64 packet
        /// of a polling payload (decoded), or a binary entry of a v3 binary payload.
        case binary(ByteBuffer)
    }

    public var type: EngineIOPacketType
    public var data: Payload

    public init(type: EngineIOPacketType, data: Payload = .empty) {
        self.type = type
        self.data = data
    }

    /// A `message` packet with text data.
    public static func message(_ text: String) -> EngineIOPacket {
        EngineIOPacket(type: .message, data: .text(text))
    }

    /// The text data, when the data is text.
    public var text: String? {
        guard case .text(let text) = data else { return nil }
        return text
    }
}
