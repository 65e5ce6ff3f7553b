import NIOCore
import SocketTapeWire

/// Typed access to the members of a JSON Lines object, with errors naming the line and field.
struct JSONFields {
    let members: JSONObject
    let line: Int
    /// The path of this object inside the line, such as `request.` (empty at the top).
    let prefix: String

    func error(_ message: String) -> JSONLinesError {
        JSONLinesError(line: line, message: message)
    }

    /// `field "from" must be "client", "server" or "proxy"`.
    func invalid(_ key: String, _ expectation: String) -> JSONLinesError {
        error("field \"\(prefix)\(key)\" must be \(expectation)")
    }

    /// The member, or `nil` when missing or `null`.
    func optional(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func required(_ key: String) throws(JSONLinesError) -> JSONValue {
        guard let value = optional(key) else { throw error("missing field \"\(prefix)\(key)\"") }
        return value
    }

    func string(_ key: String) throws(JSONLinesError) -> String {
        guard case .string(let string) = try required(key) else { throw invalid(key, "a string") }
        return string
    }

    func optionalString(_ key: String) throws(JSONLinesError) -> String? {
        guard optional(key) != nil else { return nil }
        return try string(key)
    }

    func integer<T: FixedWidthInteger>(_ key: String, as: T.Type = T.self) throws(JSONLinesError) -> T {
        guard case .number(let text) = try required(key), let value = T(text) else {
            throw invalid(key, "an integer from \(T.min) to \(T.max)")
        }
        return value
    }

    func optionalInteger<T: FixedWidthInteger>(_ key: String, as: T.Type = T.self) throws(JSONLinesError) -> T? {
        guard optional(key) != nil else { return nil }
        return try integer(key)
    }

    func bool(_ key: String, default defaultValue: Bool) throws(JSONLinesError) -> Bool {
        switch optional(key) {
        case nil: return defaultValue
        case .bool(let value)?: return value
        default: throw invalid(key, "true or false")
        }
    }

    func object(_ key: String) throws(JSONLinesError) -> JSONFields {
        guard let object = try optionalObject(key) else { throw error("missing field \"\(prefix)\(key)\"") }
        return object
    }

    func optionalObject(_ key: String) throws(JSONLinesError) -> JSONFields? {
        switch optional(key) {
        case nil: return nil
        case .object(let members)?: return JSONFields(members: members, line: line, prefix: "\(prefix)\(key).")
        default: throw invalid(key, "an object")
        }
    }

    func peer(_ key: String) throws(JSONLinesError) -> Peer {
        guard let peer = Peer(name: try string(key)) else { throw invalid(key, "\"client\", \"server\" or \"proxy\"") }
        return peer
    }

    /// An opcode name (`text`, …) or number (0–15).
    func opcode(_ key: String) throws(JSONLinesError) -> UInt8 {
        switch try required(key) {
        case .string(let name):
            if let opcode = WebSocketOpcodeName.opcode(named: name) { return opcode }
        case .number(let text):
            if let opcode = UInt8(text), opcode <= 0x0F { return opcode }
        default:
            break
        }
        throw invalid(key, "continuation, text, binary, close, ping, pong or a number from 0 to 15")
    }

    /// `[["Name","value"], …]`; missing means none.
    func headers(_ key: String) throws(JSONLinesError) -> [HeaderField] {
        guard let value = optional(key) else { return [] }
        guard case .array(let pairs) = value else { throw invalid(key, "an array of [name, value] pairs") }
        var headers: [HeaderField] = []
        for pair in pairs {
            guard case .array(let strings) = pair, strings.count == 2, case .string(let name) = strings[0],
                case .string(let value) = strings[1]
            else { throw invalid(key, "an array of [name, value] pairs") }
            headers.append(HeaderField(name, value))
        }
        return headers
    }

    func base64(_ key: String) throws(JSONLinesError) -> ByteBuffer? {
        guard let text = try optionalString(key) else { return nil }
        guard let bytes = try? Base64.decode(text) else { throw invalid(key, "base64") }
        return bytes
    }
}

extension JSONFields {
    /// `t` as exact nanoseconds, when present.
    func offsetNanos() throws(JSONLinesError) -> UInt64? {
        guard let value = optional("t") else { return nil }
        guard case .number(let text) = value, let nanos = TimeText.offsetNanos(seconds: text) else {
            throw invalid("t", "a number of seconds from 0")
        }
        return nanos
    }
}
