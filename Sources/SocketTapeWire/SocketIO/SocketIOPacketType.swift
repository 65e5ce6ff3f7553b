/// A Socket.IO packet type (socket.io-protocol v5, "Exchange protocol"; v4, "Packet types").
public enum SocketIOPacketType: UInt8, Sendable, Hashable, CaseIterable {
    case connect = 0
    case disconnect = 1
    case event = 2
    case ack = 3
    /// `CONNECT_ERROR` in v5; `ERROR` in v4 (same number, same use).
    case connectError = 4
    case binaryEvent = 5
    case binaryAck = 6

    /// The name in the JSON Lines `sio.type` field: `CONNECT`, `DISCONNECT`, `EVENT`, `ACK`,
    /// `CONNECT_ERROR`, `BINARY_EVENT` or `BINARY_ACK`.
    public var name: String {
        switch self {
        case .connect: "CONNECT"
        case .disconnect: "DISCONNECT"
        case .event: "EVENT"
        case .ack: "ACK"
        case .connectError: "CONNECT_ERROR"
        case .binaryEvent: "BINARY_EVENT"
        case .binaryAck: "BINARY_ACK"
        }
    }

    /// The type with this name; v4's `ERROR` is accepted for ``connectError``.
    public init?(name: String) {
        if name == "ERROR" {
            self = .connectError
            return
        }
        guard let type = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    /// Whether the packet announces binary attachments (`BINARY_EVENT`, `BINARY_ACK`).
    public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }

    /// Whether the data is an event: its first element names the event (`EVENT`, `BINARY_EVENT`).
    public var isEvent: Bool { self == .event || self == .binaryEvent }

    /// Whether the packet answers an event (`ACK`, `BINARY_ACK`).
    public var isAck: Bool { self == .ack || self == .binaryAck }
}
