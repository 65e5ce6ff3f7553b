import SocketTapeWire

/// What `--ignore` (and the configuration's ignore list) says to leave out of comparisons.
///
/// Written as a JSON pointer pattern (``PointerPattern``: `/args/0/ts`, `/items/*/id`), which
/// leaves out every difference at or inside the values it names, or as `regex:PATTERN`
/// (``TextPattern``), whose matches in text messages and in JSON string values are replaced by
/// `<ignored>` on both sides before they are compared.
public enum IgnoreRule: Sendable, Equatable, CustomStringConvertible {
    case pointer(PointerPattern)
    case text(TextPattern)

    /// The prefix of a regular expression rule.
    static let regexPrefix = "regex:"

    /// Reads a rule as written on the command line or in the configuration.
    ///
    /// - Throws: ``IgnoreRuleError`` for an empty rule, a rule that is neither a pointer nor
    ///   `regex:…`, a malformed pointer (with the byte offset) or a regular expression that does
    ///   not compile or matches the empty string.
    public init(parsing rule: String) throws(IgnoreRuleError) {
        if rule.hasPrefix(Self.regexPrefix) {
            self = .text(try TextPattern(String(rule.dropFirst(Self.regexPrefix.count)), rule: rule))
            return
        }
        guard rule.hasPrefix("/") else {
            throw IgnoreRuleError(rule: rule, offset: nil, reason: "expected a JSON pointer such as /args/0/ts, or regex:PATTERN")
        }
        do {
            self = .pointer(try PointerPattern(parsing: rule))
        } catch {
            throw IgnoreRuleError(rule: rule, offset: error.offset, reason: error.reason)
        }
    }

    /// The rule as it is written.
    public var description: String {
        switch self {
        case .pointer(let pattern): pattern.description
        case .text(let pattern): Self.regexPrefix + pattern.source
        }
    }
}

extension [IgnoreRule] {
    /// The JSON pointer rules' patterns, in order.
    public var pointerPatterns: [PointerPattern] {
        compactMap { rule in
            guard case .pointer(let pattern) = rule else { return nil }
            return pattern
        }
    }

    /// The `regex:` rules' patterns, in order.
    public var textPatterns: [TextPattern] {
        compactMap { rule in
            guard case .text(let pattern) = rule else { return nil }
            return pattern
        }
    }
}

/// An ignore rule that cannot be used: which one, where and why.
public struct IgnoreRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule as written.
    public var rule: String
    /// The byte offset of the problem in ``rule``, when it is at one place.
    public var offset: Int?
    public var reason: String

    public init(rule: String, offset: Int?, reason: String) {
        self.rule = rule
        self.offset = offset
        self.reason = reason
    }

    /// `ignore rule "/a/~2": '~' must be followed by '0' or '1' (…) (at byte 3)`.
    public var description: String {
        "ignore rule \(JSONValue.string(rule).jsonText): \(reason)" + (offset.map { " (at byte \($0))" } ?? "")
    }
}
