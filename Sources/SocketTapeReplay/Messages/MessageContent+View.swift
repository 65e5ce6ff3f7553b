import NIOCore
import SocketTapeTape
import SocketTapeWire

extension MessageContent {
    /// The message as the JSON document that difference paths, ignore rules and captures point
    /// into (docs/replay.md, "What is compared"):
    ///
    /// * JSON: the document itself (`/user/name`).
    /// * Socket.IO: `{"type":"EVENT","nsp":"/chat","event":"message","args":[…],"id":7}` — `event`
    ///   for events, `args` for events and acks, `id` when there is an ack id, `data` for the other
    ///   types when they carry data (`/data/sid` of a CONNECT).
    /// * Engine.IO: `{"type":"open","data":{…}}` — `data` when the packet has data: a JSON object
    ///   or array as such, other text as a string, binary as `{"$bytes":"<base64>"}`.
    /// * text: the string; binary: `{"$bytes":"<base64>"}`.
    var view: JSONValue {
        switch self {
        case .text(let text):
            return .string(text)
        case .json(let json):
            return json
        case .binary(let bytes):
            return Self.bytesView(bytes)
        case .engineIO(let packet):
            var object: JSONObject = ["type": .string(packet.type.name)]
            if let data = Self.dataView(packet.data) { object["data"] = data }
            return .object(object)
        case .socketIO(let packet):
            var object: JSONObject = ["type": .string(packet.type.name), "nsp": .string(packet.namespace)]
            if let event = packet.eventName { object["event"] = .string(event) }
            if packet.type.isEvent || packet.type.isAck { object["args"] = .array(packet.args) }
            if let id = packet.id { object["id"] = .integer(id) }
            if !(packet.type.isEvent || packet.type.isAck), let data = packet.data { object["data"] = data }
            return .object(object)
        }
    }

    /// The data of an Engine.IO packet as a JSON value (see ``view``); nil when it has none.
    static func dataView(_ data: EngineIOPacket.Payload) -> JSONValue? {
        switch data {
        case .empty:
            return nil
        case .text(let text):
            if let json = try? JSONValue(parsing: text), json.objectValue != nil || json.arrayValue != nil { return json }
            return .string(text)
        case .binary(let bytes):
            return bytesView(bytes)
        }
    }

    private static func bytesView(_ bytes: ByteBuffer) -> JSONValue {
        .object(["$bytes": .string(Base64.encode(bytes))])
    }

    /// The message in a few dozen characters, for reports: quoted text, JSON text, the
    /// Socket.IO packet's text form (`2/chat,["message",{"text":"hi"}]`, attachments as
    /// `{"$bytes":…}`), the Engine.IO packet type and data, or the first bytes in hex.
    public var preview: String {
        switch self {
        case .text(let text): Excerpt.cut(JSONValue.string(text).jsonText)
        case .json(let json): Excerpt.json(json)
        case .binary(let bytes): Excerpt.bytes(bytes)
        case .engineIO(let packet): Excerpt.cut(packet.type.name + (Self.dataView(packet.data).map { " " + $0.jsonText } ?? ""))
        case .socketIO(let packet): Excerpt.cut(packet.encodedText)
        }
    }
}
