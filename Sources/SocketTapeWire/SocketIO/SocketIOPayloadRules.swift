/// Which payloads each packet type may carry: the reference parser's `isPayloadValid`
/// (socket.io-parser 4.x for v5, 3.4.x for v4), and the protocol documents where they require
/// a payload the parser would let pass.
///
/// | type | v5 | v4 |
/// |---|---|---|
/// | CONNECT | none, or an object | none, or an object, array or null (`typeof "object"`) |
/// | DISCONNECT | none | none |
/// | CONNECT_ERROR | none, a string or an object | none, a string, object, array or null |
/// | EVENT, BINARY_EVENT | an array whose first element is a number or a string other than a reserved name | an array whose first element is a string or number |
/// | ACK, BINARY_ACK | an array | none, or an array |
///
/// Events always need their array (v5 "Sending and receiving data": "The payload is mandatory and
/// MUST be a non-empty array"); v5 acks too ("Acknowledgement": "The payload is mandatory and
/// MUST be an array"). The reserved v5 event names are those the reference parser refuses:
/// `connect`, `connect_error`, `disconnect`, `disconnecting`, `newListener`, `removeListener`.
public enum SocketIOPayloadRules {
    public static let reservedEventNames: Set<String> = [
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    ]

    /// Why `packet`'s payload is not allowed for its type, or nil when it is.
    public static func problem(with packet: SocketIOPacket, version: SocketIOVersion) -> String? {
        let type = packet.type.name
        switch (packet.type, packet.data) {
        case (.disconnect, nil), (.connect, nil), (.connectError, nil):
            return nil
        case (.connect, .object?), (.connectError, .object?), (.connectError, .string?):
            return nil
        case (.connect, .array?), (.connect, .null?), (.connectError, .array?), (.connectError, .null?):
            return version == .v4 ? nil : "\(type) payload must be \(expectation(packet.type)), not \(kind(packet.data))"
        case (.disconnect, _?):
            return "DISCONNECT has no payload"
        case (.connect, _), (.connectError, _):
            return "\(type) payload must be \(expectation(packet.type)), not \(kind(packet.data))"
        case (.event, nil), (.binaryEvent, nil):
            return "\(type) needs a payload: an array starting with the event name"
        case (.event, .array(let elements)?), (.binaryEvent, .array(let elements)?):
            switch elements.first {
            case nil:
                return "\(type) payload must not be an empty array"
            case .number?:
                return nil
            case .string(let name)?:
                return version == .v5 && reservedEventNames.contains(name) ? "\"\(name)\" is a reserved event name" : nil
            case let first?:
                return "the event name must be a string or a number, not \(kind(first))"
            }
        case (.ack, nil), (.binaryAck, nil):
            return version == .v4 ? nil : "\(type) needs a payload: an array"
        case (.ack, .array?), (.binaryAck, .array?):
            return nil
        case (.event, _?), (.binaryEvent, _?), (.ack, _?), (.binaryAck, _?):
            return "\(type) payload must be an array, not \(kind(packet.data))"
        }
    }

    private static func expectation(_ type: SocketIOPacketType) -> String {
        type == .connect ? "an object" : "a string or an object"
    }

    /// `an object`, `a string`, … for messages.
    static func kind(_ value: JSONValue?) -> String {
        switch value {
        case nil: "nothing"
        case .null?: "null"
        case .bool?: "a boolean"
        case .number?: "a number"
        case .string?: "a string"
        case .array?: "an array"
        case .object?: "an object"
        }
    }
}
