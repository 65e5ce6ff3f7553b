import SocketTapeWire

extension MessageContent {
    /// This content with every string and number passed through `transform`: the text of a text
    /// message (as a string), JSON strings and numbers (not member names), a Socket.IO packet's
    /// namespace and data, an Engine.IO packet's text data (a JSON object or array inside is
    /// rewritten value by value). Binary data and `{"$bytes":…}` attachments are left alone.
    ///
    /// Ignore rules mask text this way, and ``IdentifierMap`` puts the replay's ids in.
    func mappingScalars(_ transform: (JSONValue) -> JSONValue) -> MessageContent {
        func mapText(_ text: String) -> String { transform(.string(text)).stringValue ?? text }
        switch self {
        case .text(let text):
            return .text(mapText(text))
        case .json(let json):
            return .json(json.mappingScalars(transform))
        case .binary:
            return self
        case .engineIO(var packet):
            guard case .text(let text) = packet.data else { return self }
            switch Self.dataView(packet.data) {
            case let json? where json.stringValue == nil:
                packet.data = .text(json.mappingScalars(transform).jsonText)
            default:
                packet.data = .text(mapText(text))
            }
            return .engineIO(packet)
        case .socketIO(var packet):
            packet.namespace = mapText(packet.namespace)
            packet.data = packet.data?.mappingScalars(transform)
            return .socketIO(packet)
        }
    }
}

extension JSONValue {
    /// This value with every string and number leaf passed through `transform`, outside
    /// `{"$bytes":…}` attachments.
    func mappingScalars(_ transform: (JSONValue) -> JSONValue) -> JSONValue {
        switch self {
        case .string, .number:
            return transform(self)
        case .null, .bool:
            return self
        case .array(let elements):
            return .array(elements.map { $0.mappingScalars(transform) })
        case .object(var object):
            guard !(object.count == 1 && object[0].key == "$bytes") else { return self }
            for index in object.members.indices {
                object.members[index].value = object.members[index].value.mappingScalars(transform)
            }
            return .object(object)
        }
    }
}
