/// A JSON Lines line that cannot be decoded: `line 12: field "from" must be "client", "server" or "proxy"`.
public struct JSONLinesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number the caller passed.
    public let line: Int
    /// What is wrong, without the line number.
    public let message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
