import NIOCore

/// The default parser's text form (socket.io-protocol v5, "Packet encoding", "Format"):
/// `<type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]`.
extension SocketIOPacket {
    /// Decodes a packet's text form from UTF-8 bytes, in place.
    ///
    /// Rejected, with the byte offset: an unknown type; a binary type without `<digits>-`; an
    /// ack id or attachment count that does not fit an `Int`; invalid JSON; a payload the
    /// reference parser's `isPayloadValid` refuses for the type and `version` (see
    /// ``SocketIOPayloadRules``); bytes that are not UTF-8.
    public init(decoding bytes: UnsafeRawBufferPointer, version: SocketIOVersion) throws(SocketIOError) {
        if let invalid = firstInvalidUTF8Offset(bytes) { throw SocketIOError(offset: invalid, reason: "a packet that is not UTF-8") }
        var reader = SocketIOPacketReader(bytes: bytes)
        self = try reader.packet(version: version)
    }

    /// Decodes the readable bytes of `buffer`.
    public init(decoding buffer: ByteBuffer, version: SocketIOVersion) throws(SocketIOError) {
        self = try buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(SocketIOError) in try SocketIOPacket(decoding: bytes, version: version) }
        }.get()
    }

    /// Decodes text such as `2["chat","hello"]`.
    public init(decoding text: String, version: SocketIOVersion) throws(SocketIOError) {
        var text = text
        self = try text.withUTF8 { utf8 in
            Result { () throws(SocketIOError) in try SocketIOPacket(decoding: UnsafeRawBufferPointer(utf8), version: version) }
        }.get()
    }
}

/// Reads the fields of one packet in order; every byte read is bounds-checked.
struct SocketIOPacketReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    /// Counts and ids longer than this are rejected before they could overflow an `Int`.
    static let maxDigits = 18

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func packet(version: SocketIOVersion) throws(SocketIOError) -> SocketIOPacket {
        guard let first = current else { throw SocketIOError(offset: 0, reason: "an empty packet") }
        guard let type = SocketIOPacketType(rawValue: first &- UInt8(ascii: "0")) else {
            throw SocketIOError(offset: 0, reason: "unknown packet type \(describeByte(first))")
        }
        index = 1
        var packet = SocketIOPacket(type: type)
        if type.isBinary {
            guard let count = try number("attachment count") else {
                throw SocketIOError(offset: index, reason: "\(type.name) needs the number of attachments and '-' after the type")
            }
            guard current == UInt8(ascii: "-") else {
                throw SocketIOError(offset: index, reason: "expected '-' after the number of attachments")
            }
            index += 1
            packet.attachments = count
        }
        if current == UInt8(ascii: "/") {
            let start = index
            while let byte = current, byte != UInt8(ascii: ",") { index += 1 }
            packet.namespace = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if index < bytes.count { index += 1 }  // the ','
        }
        packet.id = try number("ack id")
        if index < bytes.count {
            let payloadStart = index
            do {
                packet.data = try JSONValue(parsing: UnsafeRawBufferPointer(rebasing: bytes[payloadStart...]))
            } catch {
                throw SocketIOError(offset: payloadStart + error.offset, reason: "invalid JSON payload: \(error.reason)")
            }
            if let problem = SocketIOPayloadRules.problem(with: packet, version: version) {
                throw SocketIOError(offset: payloadStart, reason: problem)
            }
        } else if let problem = SocketIOPayloadRules.problem(with: packet, version: version) {
            throw SocketIOError(offset: index, reason: problem)
        }
        return packet
    }

    /// Decimal digits at `index`, or nil when there are none.
    private mutating func number(_ what: String) throws(SocketIOError) -> Int? {
        let start = index
        var value = 0
        while let byte = current, byte &- UInt8(ascii: "0") < 10 {
            guard index - start < Self.maxDigits else { throw SocketIOError(offset: start, reason: "\(what) of more than \(Self.maxDigits) digits") }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
            index += 1
        }
        return index > start ? value : nil
    }
}
