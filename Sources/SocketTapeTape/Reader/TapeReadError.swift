/// A file that cannot be read as a tape at all (damage inside a tape is ``TapeDamage`` instead).
public struct TapeReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for programs; ``description`` says it for people.
    public struct Code: Sendable, Hashable {
        private let value: UInt8

        /// The file does not start with the tape magic.
        public static let notATape = Code(value: 0)
        /// The tape's major format version is not one this reader knows.
        public static let unsupportedVersion = Code(value: 1)
        /// The header is cut short or fails its checksum.
        public static let badHeader = Code(value: 2)
    }

    public let code: Code
    /// The file concerned.
    public let path: String
    /// One line naming the file and the problem.
    public let description: String

    static func notATape(path: String) -> Self {
        Self(code: .notATape, path: path, description: "\(path) is not a SocketTape tape (no tape header)")
    }

    static func unsupportedVersion(path: String, major: UInt16) -> Self {
        Self(
            code: .unsupportedVersion,
            path: path,
            description: "\(path) uses tape format version \(major), this reader knows version \(TapeFormat.major)"
        )
    }

    static func badHeader(path: String, reason: String) -> Self {
        Self(code: .badHeader, path: path, description: "\(path) has a damaged tape header: \(reason)")
    }
}
