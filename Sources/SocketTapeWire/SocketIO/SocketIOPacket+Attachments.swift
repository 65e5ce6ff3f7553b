import NIOCore

extension SocketIOPacket {
    /// Splits a packet holding `{"$bytes":"<base64>"}` values into what goes on the wire: the
    /// header packet, with each such value replaced by `{"_placeholder":true,"num":k}` in
    /// depth-first order, and the k attachments. The reverse of ``SocketIOBinaryReassembler``,
    /// as the reference encoder's `deconstructPacket` does it.
    ///
    /// An EVENT or ACK with attachments becomes a BINARY_EVENT or BINARY_ACK; the header's
    /// ``attachments`` is the count found. Packets without `$bytes` come back unchanged, except
    /// that a binary type's count is set to 0.
    ///
    /// - Throws: ``SocketIOError`` when a `$bytes` value is not valid base64.
    public func deconstructed() throws(SocketIOError) -> (header: SocketIOPacket, attachments: [ByteBuffer]) {
        var attachments: [ByteBuffer] = []
        var header = self
        if let data {
            header.data = try data.replacingObjects { object throws(SocketIOError) in try Self.placeholder(for: object, attachments: &attachments) }
        }
        if !attachments.isEmpty {
            if header.type == .event { header.type = .binaryEvent }
            if header.type == .ack { header.type = .binaryAck }
        }
        header.attachments = header.type.isBinary ? attachments.count : 0
        return (header, attachments)
    }

    /// A placeholder for a `{"$bytes":"<base64>"}` object, whose bytes go to `attachments`;
    /// nil for any other object.
    private static func placeholder(for object: JSONObject, attachments: inout [ByteBuffer]) throws(SocketIOError) -> JSONValue? {
        guard object.count == 1, object.members[0].key == "$bytes", case .string(let base64) = object.members[0].value else { return nil }
        do {
            attachments.append(try Base64.decode(base64))
        } catch {
            throw SocketIOError(offset: nil, reason: "\"$bytes\" value \(attachments.count): \(error.description)")
        }
        return .object(["_placeholder": .bool(true), "num": .integer(attachments.count - 1)])
    }
}
