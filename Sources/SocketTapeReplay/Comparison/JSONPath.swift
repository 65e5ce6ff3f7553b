import SocketTapeWire

/// Where a difference is: the tokens of an RFC 6901 JSON pointer into the compared view of a
/// message (``Difference``), remembering which tokens index arrays.
///
/// Two paths are equal when their pointers are: `/items/0` names element 0 of an array or member
/// `"0"` of an object alike, as in RFC 6901.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One reference token.
    public struct Token: Sendable, Hashable {
        /// The unescaped token: a member name or an array index in decimal.
        public let name: String
        /// Whether the token indexes an array (noise learning turns such tokens into `*`).
        public let isArrayIndex: Bool

        public static func member(_ name: String) -> Token { Token(name: name, isArrayIndex: false) }
        public static func index(_ index: Int) -> Token { Token(name: String(index), isArrayIndex: true) }

        public static func == (lhs: Token, rhs: Token) -> Bool { lhs.name == rhs.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    public var tokens: [Token]

    public init(_ tokens: [Token] = []) {
        self.tokens = tokens
    }

    /// The path of a pointer read back from text (a JSON report): tokens written as array
    /// indexes (`0`, `17`; not `01`) count as indexes.
    public init(pointer: String) throws(JSONPointerError) {
        tokens = try JSONPointer.tokens(of: pointer).map { name in
            let isIndex = !name.isEmpty && name.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 } && (name == "0" || name.first != "0")
            return Token(name: name, isArrayIndex: isIndex)
        }
    }

    /// This path followed by member `name`.
    public func appending(member name: String) -> JSONPath {
        JSONPath(tokens + [.member(name)])
    }

    /// This path followed by array index `index`.
    public func appending(index: Int) -> JSONPath {
        JSONPath(tokens + [.index(index)])
    }

    /// The RFC 6901 pointer: `/args/0/user~1name`; `""` for the whole message.
    public var description: String { JSONPointer.pointer(tokens.map(\.name)) }
}
