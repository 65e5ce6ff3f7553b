import NIOCore

/// The namespace and ack id at the start of a Socket.IO EVENT or ACK in an Engine.IO message
/// packet's WebSocket text form — `42/chat,7["ask",…]`, `437[…]`, `451-/chat,7[…]` — read without
/// decoding the JSON that follows, for matching a client's event with the server's ACK of it.
///
/// The header is `4` (Engine.IO message), the Socket.IO type (`2` EVENT, `3` ACK, `5`
/// BINARY_EVENT, `6` BINARY_ACK), for binary types the attachment count and `-`, an optional
/// namespace from `/` up to `,`, then the ack id's digits (socket.io-protocol v5, "Packet
/// encoding"). Packets without an id, and every other type, have no ack header.
struct SocketIOAckHeader: Hashable, Sendable {
    /// Whether the packet asks for an acknowledgement or gives one.
    enum Kind: Hashable, Sendable {
        case event
        case ack
    }

    var kind: Kind
    /// The namespace; `/` when the packet names none.
    var namespace: String
    var id: Int

    init(kind: Kind, namespace: String, id: Int) {
        self.kind = kind
        self.namespace = namespace
        self.id = id
    }

    /// Reads the header of `payload`; nil when it is not an EVENT or ACK with an ack id.
    init?(_ payload: ByteBuffer) {
        guard let header = payload.withUnsafeReadableBytes({ Self.scan($0) }) else { return nil }
        self = header
    }

    private static func scan(_ bytes: UnsafeRawBufferPointer) -> SocketIOAckHeader? {
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "4") else { return nil }
        let kind: Kind
        switch bytes[1] {
        case UInt8(ascii: "2"), UInt8(ascii: "5"): kind = .event
        case UInt8(ascii: "3"), UInt8(ascii: "6"): kind = .ack
        default: return nil
        }
        var index = 2
        if bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6") {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return nil }
            index += 1
        }
        var namespace = "/"
        if index < bytes.count, bytes[index] == UInt8(ascii: "/") {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
            namespace = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if index < bytes.count { index += 1 }
        }
        var id = 0
        var digits = 0
        while index < bytes.count, isDigit(bytes[index]), digits < 18 {
            id = id * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? SocketIOAckHeader(kind: kind, namespace: namespace, id: id) : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
