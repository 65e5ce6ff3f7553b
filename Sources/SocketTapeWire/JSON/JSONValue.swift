/// A parsed JSON value; numbers keep their text so integers and times decode exactly, and object
/// members keep their order.
///
/// A small hand parser rather than `JSONSerialization` or `Codable`: it keeps `1` and `true`
/// apart, keeps 64-bit integers and nanosecond times exact, keeps the order of object members (so
/// Socket.IO arguments print back the way the application sent them), and reports the byte
/// offset of a syntax error. Parse with ``init(parsing:)-(UnsafeRawBufferPointer)`` and its
/// overloads; write with ``jsonText`` or ``write(to:)``.
///
/// Equality is structural and order-sensitive: `{"a":1,"b":2}` and `{"b":2,"a":1}` differ.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as written; JSON number syntax (the parser checks it; a value built
    /// by hand must follow it too, or ``jsonText`` is not JSON).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// An integer number.
    public static func integer(_ value: some BinaryInteger) -> JSONValue {
        .number(String(value))
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// The number as an `Int`, when this is a number written as an integer that fits
    /// (`12`, `-3`; not `1.0` or `1e3`).
    public var intValue: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with the members in the order written.
    public init(dictionaryLiteral members: (String, JSONValue)...) {
        self = .object(JSONObject(members.map { (key: $0.0, value: $0.1) }))
    }
}
