import NIOCore

/// Which records `inspect … messages` shows.
///
/// Every set criterion must match. `grep` looks for a substring in the message's text, or in its
/// payload read as UTF-8 (lossily) when it is binary.
public struct MessageFilter: Sendable, Equatable {
    public var session: String?
    public var from: Peer?
    public var grep: String?

    public init(session: String? = nil, from: Peer? = nil, grep: String? = nil) {
        self.session = session
        self.from = from
        self.grep = grep
    }

    /// Whether `record` is a message the filter lets through.
    public func matches(_ record: TapeRecord) -> Bool {
        guard case .message(let message) = record.body else { return false }
        if let session, record.session != session { return false }
        if let from, message.from != from { return false }
        if let grep, !grep.isEmpty {
            let text = String(decoding: message.payload.readableBytesView, as: UTF8.self)
            guard text.contains(grep) else { return false }
        }
        return true
    }
}
