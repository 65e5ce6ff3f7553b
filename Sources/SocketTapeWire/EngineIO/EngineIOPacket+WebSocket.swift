import NIOCore

/// Engine.IO packets in WebSocket messages: one packet per message (engine.io-protocol v4,
/// "Packet encoding", "WebSocket"; v3, "Encoding", "Packet").
extension EngineIOPacket {
    /// Decodes a WebSocket text message: `<type digit>[<data>]`, such as `2probe` or `4hello`.
    ///
    /// - Throws: ``EngineIOError`` for an empty message, a first character that is not a
    ///   packet type, or bytes that are not UTF-8 (with their offset).
    public static func decode(webSocketText payload: ByteBuffer) throws(EngineIOError) -> EngineIOPacket {
        try payload.withUnsafeReadableBytes { bytes in
            Result { () throws(EngineIOError) in
                if let invalid = firstInvalidUTF8Offset(bytes) { throw EngineIOError(offset: invalid, reason: "a text message that is not UTF-8") }
                return try decodeText(bytes, at: 0, base64: nil)
            }
        }.get()
    }

    /// Decodes a WebSocket binary message. v4: the whole message is the data of a `message`
    /// packet. v3: the first byte is the packet type (0–6), the rest is the data.
    ///
    /// - Throws: ``EngineIOError`` for a v3 message that is empty or whose first byte is not a
    ///   packet type.
    public static func decode(webSocketBinary payload: ByteBuffer, version: EngineIOVersion) throws(EngineIOError) -> EngineIOPacket {
        switch version {
        case .v4:
            return EngineIOPacket(type: .message, data: .binary(payload))
        case .v3:
            var data = payload
            guard let first = data.readInteger(as: UInt8.self) else {
                throw EngineIOError(offset: 0, reason: "an empty binary message (v3 needs a packet type byte)")
            }
            guard let type = EngineIOPacketType(rawValue: first) else {
                throw EngineIOError(offset: 0, reason: "unknown packet type byte 0x\(String(first, radix: 16, uppercase: true))")
            }
            return EngineIOPacket(type: type, data: .binary(data))
        }
    }

    /// The WebSocket message that carries this packet: text data and no data as a text message
    /// `<type digit>[<text>]`; binary data as a binary message (v3 with the type byte first).
    ///
    /// - Throws: ``EngineIOError`` for binary data in a packet other than `message` under v4,
    ///   which has no way to carry it.
    public func webSocketMessage(version: EngineIOVersion) throws(EngineIOError) -> WebSocketMessage {
        switch data {
        case .empty, .text:
            var bytes: [UInt8] = []
            writeText(to: &bytes)
            return WebSocketMessage(opcode: .text, payload: ByteBuffer(bytes: bytes))
        case .binary(let binary):
            var payload = ByteBuffer()
            switch version {
            case .v4:
                try requireMessage(for: version)
            case .v3:
                payload.writeInteger(type.rawValue)
            }
            payload.writeImmutableBuffer(binary)
            return WebSocketMessage(opcode: .binary, payload: payload)
        }
    }

    func requireMessage(for version: EngineIOVersion) throws(EngineIOError) {
        guard type == .message else {
            throw EngineIOError(offset: nil, reason: "Engine.IO \(version) carries binary data only in message packets, not in \(type.name)")
        }
    }

    /// Appends `<type digit>[<text>]` (text or no data only).
    func writeText(to bytes: inout [UInt8]) {
        bytes.append(type.digit)
        if case .text(let text) = data { bytes.append(contentsOf: text.utf8) }
    }

    /// Decodes one packet in text form from valid UTF-8. With `base64` set, a leading `b` is a
    /// binary packet: `b<base64>` (a v4 message) or `b<type digit><base64>` (v3). `offset` is
    /// where `bytes` starts in the caller's input, for error offsets.
    static func decodeText(_ bytes: UnsafeRawBufferPointer, at offset: Int, base64: EngineIOVersion?) throws(EngineIOError) -> EngineIOPacket {
        guard let first = bytes.first else { throw EngineIOError(offset: offset, reason: "an empty packet") }
        if first == UInt8(ascii: "b"), let version = base64 {
            var type = EngineIOPacketType.message
            var dataStart = 1
            if version == .v3 {
                guard bytes.count > 1, let digitType = EngineIOPacketType(digit: bytes[1]) else {
                    throw EngineIOError(offset: offset + 1, reason: "a base64 packet without a packet type digit after 'b'")
                }
                type = digitType
                dataStart = 2
            }
            do {
                let data = try Base64.decode(UnsafeRawBufferPointer(rebasing: bytes[dataStart...]))
                return EngineIOPacket(type: type, data: .binary(data))
            } catch {
                throw EngineIOError(offset: offset + dataStart + (error.offset ?? 0), reason: error.reason)
            }
        }
        guard let type = EngineIOPacketType(digit: first) else {
            throw EngineIOError(offset: offset, reason: "unknown packet type \(describeByte(first))")
        }
        guard bytes.count > 1 else { return EngineIOPacket(type: type) }
        return EngineIOPacket(type: type, data: .text(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[1...]), as: UTF8.self)))
    }
}

extension EngineIOVersion: CustomStringConvertible {
    public var description: String { "v\(rawValue)" }
}
