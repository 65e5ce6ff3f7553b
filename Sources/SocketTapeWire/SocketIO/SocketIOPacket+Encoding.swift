import NIOCore

extension SocketIOPacket {
    /// The text form, as the reference encoder writes it:
    /// `<type>[<attachments>-][<namespace>,][<id>][<JSON>]`, the namespace only when it is not
    /// `/`, the attachment count only for binary types. Data is written as it is, so a packet
    /// with `$bytes` values must go through ``deconstructed()`` first to get placeholders.
    public var encodedText: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text form (see ``encodedText``) as UTF-8.
    public func write(to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "0") + type.rawValue)
        if type.isBinary {
            bytes.append(contentsOf: String(attachments).utf8)
            bytes.append(UInt8(ascii: "-"))
        }
        if !namespace.isEmpty, namespace != "/" {
            bytes.append(contentsOf: namespace.utf8)
            bytes.append(UInt8(ascii: ","))
        }
        if let id { bytes.append(contentsOf: String(id).utf8) }
        data?.write(to: &bytes)
    }

    /// The Engine.IO `message` packet that carries this packet's text form.
    public var engineIOPacket: EngineIOPacket {
        .message(encodedText)
    }

    /// The WebSocket text message that carries this packet: the Engine.IO `message` packet of
    /// its text form (`4` + ``encodedText``, such as `44{"message":"…"}`), alike in Engine.IO
    /// v3 and v4. A binary packet's attachments travel as messages of their own.
    public var webSocketMessage: WebSocketMessage {
        var bytes: [UInt8] = []
        engineIOPacket.writeText(to: &bytes)
        return WebSocketMessage(opcode: .text, payload: ByteBuffer(bytes: bytes))
    }
}
