/// Why bytes of one direction of a captured connection are not HTTP/1.x.
public struct HTTPStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
