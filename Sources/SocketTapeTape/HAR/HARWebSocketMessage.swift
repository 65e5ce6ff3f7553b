import NIOCore
import SocketTapeWire

/// One element of DevTools' `_webSocketMessages`, both ways.
///
/// `{"type":"send"|"receive","time":<epoch seconds>,"opcode":<n>,"data":…}`: `send` is the
/// client's, `receive` the server's (or the proxy's, with `_sockettape.from`); `data` is the text
/// for opcode 1 and base64 for every other opcode (close, ping and pong included, which Chrome
/// does not list). `_sockettape` carries the rest of the record: `seq`, `t`, `frames`,
/// `compressed`, and `base64: true` for a text message that is not valid UTF-8.
enum HARWebSocketMessage {
    static func json(_ message: MessageRecord, time: RecordTime, sequence: Int) -> JSONValue {
        let text = message.opcode == WebSocketOpcodeName.text ? message.payload.validatedUTF8String : nil
        var privateFields: JSONObject = [
            "seq": .integer(sequence),
            "t": HARTime.offset(time.offsetNanos),
            "frames": .integer(message.frames),
            "compressed": .bool(message.compressed),
        ]
        if message.from == .proxy { privateFields["from"] = "proxy" }
        if message.opcode == WebSocketOpcodeName.text, text == nil { privateFields["base64"] = true }
        return [
            "type": message.from == .client ? "send" : "receive",
            "time": HARTime.epochSeconds(wallMicros: time.wallMicros),
            "opcode": .integer(message.opcode),
            "data": .string(text ?? Base64.encode(message.payload)),
            "_sockettape": .object(privateFields),
        ]
    }

    /// The messages of an entry's `_webSocketMessages` (none when it has none).
    ///
    /// - Throws: ``HARError`` naming the message: `log.entries[3]._webSocketMessages[2]: field "data" must be base64`.
    static func decodeAll(of entry: JSONFields, location: String) throws(HARError) -> [Decoded] {
        guard let value = entry.optional("_webSocketMessages") else { return [] }
        guard case .array(let elements) = value else {
            throw HARError(location: location, message: "field \"_webSocketMessages\" must be an array")
        }
        var messages: [Decoded] = []
        for (index, element) in elements.enumerated() {
            let elementLocation = "\(location)._webSocketMessages[\(index)]"
            guard case .object(let members) = element else { throw HARError(location: elementLocation, message: "not an object") }
            do {
                messages.append(try decode(JSONFields(members: members, line: index, prefix: "")))
            } catch {
                throw HARError(location: elementLocation, error)
            }
        }
        return messages
    }

    /// The message at `fields` (an element of `_webSocketMessages`) and its wall clock (µs);
    /// `sequence` and `offsetNanos` when `_sockettape` has them.
    private static func decode(_ fields: JSONFields) throws(JSONLinesError) -> Decoded {
        let privateFields = try fields.optionalObject("_sockettape")
        let from: Peer
        switch try fields.string("type") {
        case "send": from = .client
        case "receive": from = try privateFields?.optionalString("from") == "proxy" ? .proxy : .server
        default: throw fields.invalid("type", "\"send\" or \"receive\"")
        }
        let opcode: UInt8 = try fields.integer("opcode")
        guard opcode <= 0x0F else { throw fields.invalid("opcode", "a number from 0 to 15") }
        guard case .number(let timeText) = try fields.required("time"), let wall = HARTime.wallMicros(epochSeconds: timeText) else {
            throw fields.invalid("time", "a number of seconds since the epoch")
        }
        let payload: ByteBuffer
        if opcode == WebSocketOpcodeName.text, try privateFields?.bool("base64", default: false) != true {
            payload = ByteBuffer(string: try fields.string("data"))
        } else {
            guard let bytes = try fields.base64("data") else { throw fields.error("missing field \"data\"") }
            payload = bytes
        }
        let message = MessageRecord(
            from: from, opcode: opcode, payload: payload,
            frames: try privateFields?.optionalInteger("frames") ?? 1, compressed: try privateFields?.bool("compressed", default: false) ?? false
        )
        return Decoded(
            message: message, wallMicros: wall, sequence: try privateFields?.optionalInteger("seq"),
            offsetNanos: try privateFields?.offsetNanos()
        )
    }

    /// A message read back, with what its element says of its time and tape position.
    struct Decoded {
        var message: MessageRecord
        var wallMicros: Int64
        var sequence: Int?
        var offsetNanos: UInt64?
    }
}
