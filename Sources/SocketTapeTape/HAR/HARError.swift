/// A HAR document that cannot be imported:
/// `log.entries[3]._webSocketMessages[2]: field "data" must be base64`.
public struct HARError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document, as a path such as `log.entries[3]`; `nil` for the document as a whole.
    public let location: String?
    /// What is wrong.
    public let message: String

    public init(location: String?, message: String) {
        self.location = location
        self.message = message
    }

    /// Re-states a field error of the shared JSON field reader at `location`.
    init(location: String, _ error: JSONLinesError) {
        self.init(location: location, message: error.message)
    }

    public var description: String { location.map { "\($0): \(message)" } ?? message }
}
