/// A JSON document that does not parse: what is wrong and where.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem from the start of the parsed text (0-based).
    public var offset: Int
    /// What is wrong, such as `expected ':'`.
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// The 1-based column of ``offset`` on a one-line document.
    public var column: Int { offset + 1 }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
