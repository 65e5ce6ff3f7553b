/// One Socket.IO packet (socket.io-protocol v5, "Exchange protocol").
///
/// After ``SocketIOBinaryReassembler`` has put a binary packet's attachments in place, `data`
/// holds `{"$bytes":"<base64>"}` where each placeholder stood and ``attachments`` still says how
/// many there were.
public struct SocketIOPacket: Sendable, Equatable {
    public var type: SocketIOPacketType
    /// The namespace, `/` by default. In v4 a CONNECT may carry a query here
    /// (`/admin?token=1234`); it is kept as written.
    public var namespace: String
    /// The acknowledgement id, when the sender wants an ACK (or this is one).
    public var id: Int?
    /// For BINARY_EVENT and BINARY_ACK, the number of binary attachments announced; 0 otherwise.
    public var attachments: Int
    /// The payload: an array for events and acks, an object (or v4's string) for CONNECT and
    /// CONNECT_ERROR; nil when there is none.
    public var data: JSONValue?

    public init(type: SocketIOPacketType, namespace: String = "/", id: Int? = nil, attachments: Int = 0, data: JSONValue? = nil) {
        self.type = type
        self.namespace = namespace
        self.id = id
        self.attachments = attachments
        self.data = data
    }

    /// The event name of an EVENT or BINARY_EVENT: the first element of the data when it is a
    /// string (the reference parser also allows numbers; those give nil here).
    public var event: String? {
        guard type.isEvent, case .array(let elements)? = data, case .string(let name)? = elements.first else { return nil }
        return name
    }

    /// The arguments: for events, the data after the event name; for acks, the whole data; for
    /// other types, empty.
    public var args: [JSONValue] {
        guard case .array(let elements)? = data else { return [] }
        if type.isEvent { return Array(elements.dropFirst()) }
        return type.isAck ? elements : []
    }
}
