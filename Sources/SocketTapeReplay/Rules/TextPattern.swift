/// A regular expression whose matches are left out of comparisons: each match in a text message
/// or a JSON string value becomes ``replacement`` on both sides before they are compared.
///
/// Swift `Regex` syntax (which agrees with JavaScript's and PCRE's for the usual patterns), as
/// in the configuration's schema `pattern`. Written `regex:PATTERN` as an ``IgnoreRule``.
public struct TextPattern: Sendable, Equatable, CustomStringConvertible {
    /// What every match is replaced with.
    public static let replacement = "<ignored>"

    /// The expression as written.
    public let source: String
    /// Compiled once; `Regex` keeps only immutable program state after compiling, but does not
    /// declare itself `Sendable`.
    private nonisolated(unsafe) let regex: Regex<AnyRegexOutput>

    /// Compiles `source`; `rule` is the whole rule, for the error.
    ///
    /// - Throws: ``IgnoreRuleError`` when `source` is empty, does not compile (the compiler's
    ///   reason), or matches the empty string (it would mark every position of every text).
    init(_ source: String, rule: String) throws(IgnoreRuleError) {
        guard !source.isEmpty else { throw IgnoreRuleError(rule: rule, offset: nil, reason: "empty regular expression") }
        do {
            regex = try Regex(source)
        } catch {
            throw IgnoreRuleError(rule: rule, offset: nil, reason: "invalid regular expression: \(error)")
        }
        guard (try? regex.wholeMatch(in: "")) == nil else {
            throw IgnoreRuleError(rule: rule, offset: nil, reason: "the regular expression matches the empty string")
        }
        self.source = source
    }

    /// `text` with every match replaced by ``replacement``.
    public func masking(_ text: String) -> String {
        text.replacing(regex, with: Self.replacement)
    }

    /// What each match captured, in order: its first capture group, or the whole match when the
    /// expression has no group (`--capture regex:room-([0-9a-f]+)` captures the hex part).
    public func capturedValues(in text: String) -> [String] {
        text.matches(of: regex).compactMap { match in
            let output = match.output
            let part = output.count > 1 ? output[1].substring : output[0].substring
            return part.map(String.init)
        }
    }

    public var description: String { source }

    public static func == (lhs: TextPattern, rhs: TextPattern) -> Bool { lhs.source == rhs.source }
}
