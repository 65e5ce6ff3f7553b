import SocketTapeWire

/// A JSON Schema subset: `type`, `properties`, `required`, `additionalProperties`, `items`,
/// `enum`, `const`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, `minItems`,
/// `maxItems` (draft 2020-12 meanings).
///
/// Written by hand: the JSON Schema libraries for Swift need Foundation and `Codable` trees; this
/// one validates ``JSONValue`` directly, stops at nothing (every violation is reported) and costs
/// no allocation on a value that passes. Lengths count Unicode scalars (code points), as JSON
/// Schema says; `pattern` is a Swift `Regex` (close to ECMA-262 for the usual patterns), searched
/// anywhere in the string unless anchored.
public struct JSONSchema: Sendable, Equatable {
    /// The JSON types a value may have: `null`, `boolean`, `integer`, `number`, `string`,
    /// `array`, `object`; nil: any.
    public var types: Set<JSONType>?
    /// Member schemas, in the order written.
    public var properties: [(name: String, schema: JSONSchema)]
    /// Member names that must be present.
    public var required: [String]
    /// Members not in ``properties``: allowed (nil or `.allowed`), forbidden, or checked.
    public var additionalProperties: Additional
    /// The schema of every array element.
    public var items: JSONSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }
    private var itemsStorage: [JSONSchema] = []
    public var enumValues: [JSONValue]?
    public var constValue: JSONValue?
    public var minimum: Double?
    public var maximum: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: Pattern?
    public var minItems: Int?
    public var maxItems: Int?

    public init(
        types: Set<JSONType>? = nil,
        properties: [(name: String, schema: JSONSchema)] = [],
        required: [String] = [],
        additionalProperties: Additional = .allowed,
        items: JSONSchema? = nil,
        enumValues: [JSONValue]? = nil,
        constValue: JSONValue? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        pattern: Pattern? = nil,
        minItems: Int? = nil,
        maxItems: Int? = nil
    ) {
        self.types = types
        self.properties = properties
        self.required = required
        self.additionalProperties = additionalProperties
        self.enumValues = enumValues
        self.constValue = constValue
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.minItems = minItems
        self.maxItems = maxItems
        self.items = items
    }

    /// A JSON type name of the `type` keyword.
    public enum JSONType: String, Sendable, CaseIterable, Hashable {
        case null, boolean, integer, number, string, array, object
    }

    /// What `additionalProperties` says.
    public indirect enum Additional: Sendable, Equatable {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    /// A compiled `pattern`; equal when the source text is.
    public struct Pattern: Sendable, Equatable, CustomStringConvertible {
        public let source: String
        private let regex: RegexBox

        /// Compiles `source`; throws the compiler's error text.
        public init(_ source: String) throws(PatternError) {
            do {
                regex = RegexBox(try Regex(source))
            } catch {
                throw PatternError(reason: "\(error)")
            }
            self.source = source
        }

        /// Whether the pattern matches somewhere in `string`.
        public func matches(_ string: String) -> Bool {
            (try? regex.regex.firstMatch(in: string)) != nil
        }

        public var description: String { source }

        public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }
    }

    /// Why a `pattern` does not compile.
    public struct PatternError: Error, Sendable {
        public var reason: String
    }

    public static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool {
        lhs.types == rhs.types
            && lhs.properties.count == rhs.properties.count
            && zip(lhs.properties, rhs.properties).allSatisfy { $0.name == $1.name && $0.schema == $1.schema }
            && lhs.required == rhs.required && lhs.additionalProperties == rhs.additionalProperties
            && lhs.itemsStorage == rhs.itemsStorage && lhs.enumValues == rhs.enumValues
            && lhs.constValue == rhs.constValue && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum
            && lhs.minLength == rhs.minLength && lhs.maxLength == rhs.maxLength && lhs.pattern == rhs.pattern
            && lhs.minItems == rhs.minItems && lhs.maxItems == rhs.maxItems
    }
}

/// A compiled regular expression; `Regex` holds only immutable program state once compiled.
private final class RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}

/// One way a value breaks a schema.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// Where: an RFC 6901 JSON pointer into the validated value (`""` is the value itself, `/text`,
    /// `/items/0`).
    public var pointer: String
    /// Why, such as `longer than 500 characters`.
    public var reason: String

    public init(pointer: String, reason: String) {
        self.pointer = pointer
        self.reason = reason
    }

    /// `/text: longer than 500 characters` (`(root): …` for the value itself).
    public var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(reason)" }
}

extension JSONSchema {
    /// Every way `value` breaks this schema, in document order; empty when it matches.
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, path: nil, into: &violations)
        return violations
    }

    /// Whether `value` matches.
    public func matches(_ value: JSONValue) -> Bool {
        validate(value).isEmpty
    }

    /// Checks one value; `path` is the chain of tokens leading to it, kept on the stack
    /// (`withUnsafePointer`) so that a value that passes costs no allocation.
    private func check(_ value: JSONValue, path: UnsafePointer<PathToken>?, into violations: inout [SchemaViolation]) {
        func fail(_ reason: String) {
            violations.append(SchemaViolation(pointer: PathToken.pointer(path), reason: reason))
        }
        func descend(_ token: PathToken.Token, _ schema: JSONSchema, _ member: JSONValue) {
            withUnsafePointer(to: PathToken(token: token, parent: path)) { schema.check(member, path: $0, into: &violations) }
        }
        func failMember(_ key: String, _ reason: String) {
            withUnsafePointer(to: PathToken(token: .key(key), parent: path)) {
                violations.append(SchemaViolation(pointer: PathToken.pointer($0), reason: reason))
            }
        }
        if let types, !types.contains(where: { $0.admits(value) }) {
            fail("expected \(types.sorted { $0.rawValue < $1.rawValue }.map(\.rawValue).joined(separator: " or ")), got \(value.typeName)")
            return
        }
        if let constValue, !jsonEqual(value, constValue) {
            fail("must be \(constValue.jsonText)")
        }
        if let enumValues, !enumValues.contains(where: { jsonEqual(value, $0) }) {
            fail("not one of \(enumValues.map(\.jsonText).joined(separator: ", "))")
        }
        switch value {
        case .number(let text):
            guard minimum != nil || maximum != nil, let number = Double(text) else { break }
            if let minimum, number < minimum { fail("less than the minimum \(formatNumber(minimum))") }
            if let maximum, number > maximum { fail("greater than the maximum \(formatNumber(maximum))") }
        case .string(let string):
            if minLength != nil || maxLength != nil {
                let length = Self.scalarCount(string)
                if let minLength, length < minLength { fail("shorter than \(minLength) characters") }
                if let maxLength, length > maxLength { fail("longer than \(maxLength) characters") }
            }
            if let pattern, !pattern.matches(string) { fail("does not match the pattern \(pattern.source)") }
        case .array(let elements):
            if let minItems, elements.count < minItems { fail("fewer than \(minItems) items") }
            if let maxItems, elements.count > maxItems { fail("more than \(maxItems) items") }
            if let items {
                for (index, element) in elements.enumerated() {
                    descend(.index(index), items, element)
                }
            }
        case .object(let object):
            for name in required where object[name] == nil {
                failMember(name, "required but missing")
            }
            for (name, schema) in properties {
                guard let member = object[name] else { continue }
                descend(.key(name), schema, member)
            }
            if additionalProperties != .allowed {
                for member in object.members where !properties.contains(where: { $0.name == member.key }) {
                    switch additionalProperties {
                    case .allowed: break
                    case .forbidden: failMember(member.key, "not allowed (additionalProperties is false)")
                    case .schema(let schema): descend(.key(member.key), schema, member.value)
                    }
                }
            }
        case .null, .bool:
            break
        }
    }
}

/// One step of the path to the value being validated, linked to the step before it.
struct PathToken {
    enum Token {
        case key(String)
        case index(Int)
    }

    var token: Token
    var parent: UnsafePointer<PathToken>?

    /// The RFC 6901 pointer of the path ending at `last` (``JSONPointer/pointer(_:)``).
    static func pointer(_ last: UnsafePointer<PathToken>?) -> String {
        var tokens: [String] = []
        var step = last
        while let current = step {
            switch current.pointee.token {
            case .index(let index): tokens.append(String(index))
            case .key(let key): tokens.append(key)
            }
            step = current.pointee.parent
        }
        return JSONPointer.pointer(tokens.reversed())
    }
}

extension JSONSchema.JSONType {
    /// Whether `value` has this type; `integer` admits numbers with no fraction (`1.0` too).
    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string), (.array, .array),
            (.object, .object):
            return true
        case (.integer, .number(let text)):
            guard let number = Double(text) else { return false }
            return number.isFinite && number == number.rounded()
        default:
            return false
        }
    }
}

extension JSONValue {
    /// The JSON Schema type name of this value (`integer` for whole numbers).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let text): JSONSchema.JSONType.integer.admits(.number(text)) ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// JSON Schema equality: numbers by value (`1` equals `1.0`), objects regardless of member order.
func jsonEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b || (Double(a).map { $0 == Double(b) } ?? false)
    case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { jsonEqual($0, $1) }
    case (.object(let a), .object(let b)):
        return a.count == b.count && a.members.allSatisfy { member in b[member.key].map { jsonEqual(member.value, $0) } ?? false }
    default: return false
    }
}

extension JSONSchema {
    /// The number of Unicode scalars in `string` (JSON Schema's string length), counted on its
    /// UTF-8 bytes: every byte that does not continue a sequence starts a scalar. Walking the
    /// `unicodeScalars` view decodes each one and cost 30 µs for a 16 KiB argument.
    fileprivate static func scalarCount(_ string: String) -> Int {
        var string = string
        return string.withUTF8 { bytes in
            bytes.reduce(0) { count, byte in count + (byte & 0xC0 == 0x80 ? 0 : 1) }
        }
    }
}
