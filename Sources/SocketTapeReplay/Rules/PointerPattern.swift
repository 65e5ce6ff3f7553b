import SocketTapeWire

/// A JSON pointer in which a token `*` stands for any array index or member name:
/// `/args/0/ts`, `/items/*/id`. Ignore rules, noise and captures are written this way.
///
/// A pattern covers the values it names and everything inside them: `/user` covers
/// `/user/name`. A token that is exactly `*` is always the wildcard (RFC 6901 has no way to
/// escape it); a token `0` matches array index 0 and member `"0"` alike.
public struct PointerPattern: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Token: Sendable, Hashable {
        /// An array index or member name, unescaped.
        case name(String)
        /// `*`: any array index or member name.
        case wildcard
    }

    public var tokens: [Token]

    public init(_ tokens: [Token]) {
        self.tokens = tokens
    }

    /// Reads a pattern such as `/items/*/id`.
    ///
    /// - Throws: ``JSONPointerError`` when it is not an RFC 6901 pointer.
    public init(parsing pointer: String) throws(JSONPointerError) {
        tokens = try JSONPointer.tokens(of: pointer).map { $0 == "*" ? .wildcard : .name($0) }
    }

    /// The pattern as written: escaped tokens, `*` for wildcards.
    public var description: String {
        tokens.map { token in
            switch token {
            case .name(let name): "/" + JSONPointer.escape(name)
            case .wildcard: "/*"
            }
        }.joined()
    }

    public static func < (lhs: PointerPattern, rhs: PointerPattern) -> Bool {
        lhs.description < rhs.description
    }

    /// Whether `path` is a value this pattern names or lies inside one.
    public func covers(_ path: JSONPath) -> Bool {
        guard tokens.count <= path.tokens.count else { return false }
        return zip(tokens, path.tokens).allSatisfy { pattern, token in
            switch pattern {
            case .wildcard: true
            case .name(let name): name == token.name
            }
        }
    }

    /// Whether every path `other` names is one this pattern covers.
    func covers(_ other: PointerPattern) -> Bool {
        guard tokens.count <= other.tokens.count else { return false }
        return zip(tokens, other.tokens).allSatisfy { mine, theirs in mine == .wildcard || mine == theirs }
    }

    /// The values this pattern names in `document`, with their paths, in document order.
    func matches(in document: JSONValue) -> [(path: JSONPath, value: JSONValue)] {
        var found: [(path: JSONPath, value: JSONValue)] = []
        collect(document, at: JSONPath(), depth: 0, into: &found)
        return found
    }

    private func collect(_ value: JSONValue, at path: JSONPath, depth: Int, into found: inout [(path: JSONPath, value: JSONValue)]) {
        guard depth < tokens.count else {
            found.append((path, value))
            return
        }
        switch (tokens[depth], value) {
        case (.wildcard, .array(let elements)):
            for (index, element) in elements.enumerated() {
                collect(element, at: path.appending(index: index), depth: depth + 1, into: &found)
            }
        case (.wildcard, .object(let object)):
            for member in object {
                collect(member.value, at: path.appending(member: member.key), depth: depth + 1, into: &found)
            }
        case (.name(let name), _):
            guard let (child, token) = value.child(named: name) else { return }
            collect(child, at: JSONPath(path.tokens + [token]), depth: depth + 1, into: &found)
        case (.wildcard, _):
            return
        }
    }
}

extension JSONValue {
    /// The value a reference token names in this array or object, with the token as a path step.
    func child(named name: String) -> (value: JSONValue, token: JSONPath.Token)? {
        switch self {
        case .array(let elements):
            guard let index = Int(name), String(index) == name, elements.indices.contains(index) else { return nil }
            return (elements[index], .index(index))
        case .object(let object):
            return object[name].map { ($0, .member(name)) }
        default:
            return nil
        }
    }

    /// The value at `path`, if there is one.
    func value(at path: JSONPath) -> JSONValue? {
        var current = self
        for token in path.tokens {
            guard let (child, _) = current.child(named: token.name) else { return nil }
            current = child
        }
        return current
    }
}
