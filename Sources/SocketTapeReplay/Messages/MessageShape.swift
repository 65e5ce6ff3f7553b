import SocketTapeTape
import SocketTapeWire

/// What kind of message this is, in a few words: the key that lines recorded and received
/// messages up (``SessionAligner``), the scope of learned noise (``NoiseRules``), and the label
/// reports show.
///
/// | content | shape |
/// |---|---|
/// | Socket.IO EVENT, BINARY_EVENT | namespace and event name: `/chat "message"` |
/// | Socket.IO ACK, BINARY_ACK | `/chat ACK` |
/// | Socket.IO CONNECT, CONNECT_ERROR | `/chat CONNECT` (an accepted and a refused connect line up) |
/// | Socket.IO DISCONNECT | `/chat DISCONNECT` |
/// | Engine.IO packet | `Engine.IO open`, `Engine.IO close`, … |
/// | JSON object | its first string member among `type`, `event`, `kind`, `op`, `action`, `method`: `{"type":"join"}`; else `{…}` |
/// | JSON array | its first element when a string: `["join",…]`; else `[…]` |
/// | text, binary | `text`, `binary` |
///
/// Namespaces are written without the query a v4 CONNECT may carry. A message whose values
/// changed keeps its shape, so it lines up with its recording and its differences are named.
public struct MessageShape: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The shape as written above; also its form in noise files.
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    public static func < (lhs: MessageShape, rhs: MessageShape) -> Bool {
        lhs.description < rhs.description
    }

    /// The members whose string value names a JSON message's kind, in order of preference.
    static let discriminators = ["type", "event", "kind", "op", "action", "method"]
}

extension MessageContent {
    /// The shape of this content (``MessageShape``).
    public var shape: MessageShape {
        switch self {
        case .text: MessageShape("text")
        case .binary: MessageShape("binary")
        case .engineIO(let packet): MessageShape("Engine.IO \(packet.type.name)")
        case .socketIO(let packet): MessageShape("\(packet.namespaceName) \(Self.socketIOKind(packet))")
        case .json(.object(let object)):
            MessageShape(Self.discriminator(of: object).map { "{\(JSONValue.string($0.key).jsonText):\($0.value.jsonText)}" } ?? "{…}")
        case .json(.array(let elements)):
            MessageShape(elements.first?.stringValue.map { "[\(JSONValue.string($0).jsonText),…]" } ?? "[…]")
        case .json(let scalar):
            MessageShape(scalar.jsonText)
        }
    }

    private static func socketIOKind(_ packet: SocketIOPacket) -> String {
        switch packet.type {
        case .event, .binaryEvent: JSONValue.string(packet.eventName ?? "").jsonText
        case .ack, .binaryAck: "ACK"
        case .connect, .connectError: "CONNECT"
        case .disconnect: "DISCONNECT"
        }
    }

    private static func discriminator(of object: JSONObject) -> (key: String, value: JSONValue)? {
        for key in MessageShape.discriminators {
            if let value = object[key], value.stringValue != nil { return (key, value) }
        }
        return nil
    }
}

extension ObservedMessage {
    /// The shape of the message's content (``MessageShape``).
    public var shape: MessageShape { content.shape }
}
