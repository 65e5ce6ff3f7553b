/// A Socket.IO packet that does not decode, or attachments that do not fit their packet.
public struct SocketIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem in the decoded packet text; nil for problems that are not
    /// at a place in it (a binary attachment nobody waits for).
    public var offset: Int?
    /// What is wrong, such as `EVENT payload must be an array, not an object`.
    public var reason: String

    public init(offset: Int?, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        "Socket.IO: \(reason)" + (offset.map { " (at byte \($0))" } ?? "")
    }
}
