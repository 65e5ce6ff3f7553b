import NIOCore

/// Puts a binary packet back together, for one direction of a session: a BINARY_EVENT or
/// BINARY_ACK announcing N attachments is followed by N binary messages (socket.io-protocol v5,
/// "Packet encoding": `51-["baz",{"_placeholder":true,"num":0}]` + `<Buffer 01 02 03 04>`).
///
/// Once all have arrived, every placeholder `{"_placeholder":true,"num":k}` in the data is
/// replaced by `{"$bytes":"<base64 of attachment k>"}`, the JSON Lines form of DESIGN.md.
public struct SocketIOBinaryReassembler: Sendable {
    /// The packet waiting for attachments, if any.
    public private(set) var pending: SocketIOPacket?
    private var received: [ByteBuffer] = []

    public init() {}

    /// How many attachments the pending packet has received so far.
    public var receivedCount: Int { received.count }

    /// Starts reassembling `header`. Returns it at once when it is complete (not a binary type,
    /// or 0 attachments), nil when it waits for attachments. A packet already pending is dropped;
    /// check ``pending`` first to report that.
    public mutating func begin(_ header: SocketIOPacket) throws(SocketIOError) -> SocketIOPacket? {
        reset()
        guard header.type.isBinary, header.attachments > 0 else {
            return header.type.isBinary ? try Self.reconstruct(header, attachments: []) : header
        }
        pending = header
        return nil
    }

    /// Adds the next attachment. Returns the reconstructed packet after the last one, nil before.
    ///
    /// - Throws: ``SocketIOError`` when no packet is waiting (the session does not use the
    ///   default parser's format), or when a placeholder does not name an attachment; either
    ///   way nothing stays pending.
    public mutating func add(attachment: ByteBuffer) throws(SocketIOError) -> SocketIOPacket? {
        guard let packet = pending else {
            throw SocketIOError(
                offset: nil,
                reason: "a binary message with no BINARY_EVENT or BINARY_ACK waiting for attachments: not the default "
                    + "Socket.IO parser's format (socket.io-msgpack-parser or another custom parser?)"
            )
        }
        received.append(attachment)
        guard received.count == packet.attachments else { return nil }
        defer { reset() }
        return try Self.reconstruct(packet, attachments: received)
    }

    /// Forgets the pending packet and its attachments.
    public mutating func reset() {
        pending = nil
        received.removeAll()
    }

    /// `packet` with every placeholder replaced by its attachment as `{"$bytes":"<base64>"}`.
    ///
    /// - Throws: ``SocketIOError`` for a placeholder whose `num` is not an integer from 0 to
    ///   `attachments.count - 1` (the reference parser's "illegal attachments").
    public static func reconstruct(_ packet: SocketIOPacket, attachments: [ByteBuffer]) throws(SocketIOError) -> SocketIOPacket {
        var packet = packet
        if let data = packet.data {
            packet.data = try data.replacingObjects { object throws(SocketIOError) in try attachment(for: object, attachments: attachments) }
        }
        return packet
    }

    /// `{"$bytes":…}` for a placeholder object, nil for any other object.
    private static func attachment(for object: JSONObject, attachments: [ByteBuffer]) throws(SocketIOError) -> JSONValue? {
        guard object["_placeholder"] == .bool(true) else { return nil }
        guard let number = object["num"]?.intValue, attachments.indices.contains(number) else {
            throw SocketIOError(
                offset: nil,
                reason: "a placeholder with \"num\" \(object["num"]?.jsonText ?? "missing"), not an attachment index from 0 to \(attachments.count - 1)"
            )
        }
        return .object(["$bytes": .string(Base64.encode(attachments[number]))])
    }
}
