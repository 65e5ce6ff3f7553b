/// Engine.IO input that does not decode, or a packet that the requested format cannot carry.
public struct EngineIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem in the decoded input (a WebSocket payload, a polling body,
    /// a packet); nil for problems that are not at a place (encoding, a missing query parameter).
    public var offset: Int?
    /// What is wrong, such as `unknown packet type '9'`.
    public var reason: String

    public init(offset: Int?, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "Engine.IO: \(reason)" + (offset.map { " (at byte \($0))" } ?? "")
    }
}
