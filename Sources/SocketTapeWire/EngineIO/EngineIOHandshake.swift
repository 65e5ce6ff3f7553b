/// The data of the server's `open` packet (engine.io-protocol v4, "Handshake"; v3, "Anatomy of
/// an Engine.IO session").
public struct EngineIOHandshake: Sendable, Equatable {
    /// The session id, sent back in the `sid` query parameter of later requests.
    public var sid: String
    /// The transports the session may upgrade to (`["websocket"]`); missing means none.
    public var upgrades: [String]
    /// Milliseconds between pings (v4: the server pings; v3: the client does).
    public var pingInterval: Int
    /// Milliseconds to wait for a pong.
    public var pingTimeout: Int
    /// v4: the largest payload, in bytes, the client may send per request; nil when not sent (v3).
    public var maxPayload: Int?

    public init(sid: String, upgrades: [String], pingInterval: Int, pingTimeout: Int, maxPayload: Int? = nil) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// Decodes the handshake of an `open` packet such as
    /// `0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`.
    ///
    /// - Throws: ``EngineIOError`` for another packet type, data that is not a JSON object (the
    ///   offset is in the data), or a missing or mistyped field.
    public init(_ packet: EngineIOPacket) throws(EngineIOError) {
        guard packet.type == .open, let text = packet.text else {
            throw EngineIOError(offset: nil, reason: "a handshake needs an open packet with JSON data")
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            // + 1: the offset counts from the packet type digit.
            throw EngineIOError(offset: error.offset + 1, reason: "handshake: \(error.reason)")
        }
        try self.init(json: json)
    }

    /// Decodes the handshake object.
    public init(json: JSONValue) throws(EngineIOError) {
        guard let object = json.objectValue else { throw Self.invalid("the handshake is not a JSON object") }
        guard let sid = object["sid"]?.stringValue else { throw Self.invalid("handshake field \"sid\" must be a string") }
        var upgrades: [String] = []
        if let value = object["upgrades"] {
            guard let strings = value.arrayValue?.compactMap(\.stringValue), strings.count == value.arrayValue?.count else {
                throw Self.invalid("handshake field \"upgrades\" must be an array of strings")
            }
            upgrades = strings
        }
        self.init(
            sid: sid,
            upgrades: upgrades,
            pingInterval: try Self.milliseconds("pingInterval", in: object),
            pingTimeout: try Self.milliseconds("pingTimeout", in: object),
            maxPayload: object["maxPayload"] == nil ? nil : try Self.milliseconds("maxPayload", in: object)
        )
    }

    /// The handshake object, members in the order the reference server writes them.
    public var json: JSONValue {
        var object: JSONObject = [
            "sid": .string(sid), "upgrades": .array(upgrades.map(JSONValue.string)),
            "pingInterval": .integer(pingInterval), "pingTimeout": .integer(pingTimeout),
        ]
        if let maxPayload { object["maxPayload"] = .integer(maxPayload) }
        return .object(object)
    }

    /// The `open` packet carrying this handshake.
    public var packet: EngineIOPacket {
        EngineIOPacket(type: .open, data: .text(json.jsonText))
    }

    private static func milliseconds(_ key: String, in object: JSONObject) throws(EngineIOError) -> Int {
        guard let value = object[key]?.intValue, value >= 0 else {
            throw invalid("handshake field \"\(key)\" must be a non-negative integer")
        }
        return value
    }

    private static func invalid(_ reason: String) -> EngineIOError {
        EngineIOError(offset: nil, reason: reason)
    }
}
