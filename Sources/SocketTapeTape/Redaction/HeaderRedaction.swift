import SocketTapeWire

/// Which HTTP header values are replaced by `[redacted]` before they reach a tape.
///
/// Names match case-insensitively (ASCII); the header stays in place with its original name, so
/// the tape still shows that it was sent.
public struct HeaderRedaction: Sendable, Equatable {
    /// Headers that carry credentials in most applications.
    public static let defaultNames = ["authorization", "cookie", "set-cookie"]
    /// The redaction of ``defaultNames``.
    public static let `default` = HeaderRedaction(names: defaultNames)
    /// Redacts nothing.
    public static let none = HeaderRedaction(names: [])
    /// What redacted values become.
    public static let replacement = "[redacted]"

    /// The redacted names, A–Z lowered (HTTP field names are ASCII; other characters must match
    /// exactly).
    public let names: Set<String>

    /// Redacts the headers named `names` (any ASCII case).
    public init(names: [String]) {
        self.names = Set(names.map(\.asciiLowercased))
    }

    /// `headers` with the values of redacted names replaced by ``replacement``, order kept.
    public func apply(_ headers: [HeaderField]) -> [HeaderField] {
        guard !names.isEmpty else { return headers }
        return headers.map { header in
            // Compared in place: lowercasing each name made a string per header of every handshake.
            names.contains { header.name.caseInsensitiveEquals($0) } ? HeaderField(header.name, Self.replacement) : header
        }
    }
}
