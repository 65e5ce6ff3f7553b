/// A noise file or JSON report that cannot be read: where and why.
public struct ReplayFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON pointer of the wrong value in the file (`/noise/2/pointers/0`); `""` for the file
    /// as a whole.
    public var location: String
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    /// `/noise/0/pointers/1: JSON pointer: does not start with '/' (at byte 0)`.
    public var description: String {
        location.isEmpty ? reason : "\(location): \(reason)"
    }
}
