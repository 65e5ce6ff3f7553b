/// A file that cannot be read as a capture at all (damage after its header is
/// ``CaptureFileDamage`` instead).
public struct CaptureFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for programs; ``description`` says it for people.
    public struct Code: Sendable, Hashable {
        private let value: UInt8

        /// The file could not be opened or read (missing, no permission, a directory).
        public static let unreadable = Code(value: 0)
        /// The file is not a pcap or pcapng file libpcap reads (unknown magic, too short, a
        /// version or header it does not support).
        public static let notACaptureFile = Code(value: 1)
    }

    public let code: Code
    /// The file concerned.
    public let path: String
    /// One line naming the file and the problem.
    public let description: String

    static func unreadable(path: String, reason: String) -> Self {
        Self(code: .unreadable, path: path, description: "cannot read \(path): \(reason)")
    }

    static func notACaptureFile(path: String, libpcapMessage: String) -> Self {
        Self(
            code: .notACaptureFile,
            path: path,
            description: "\(path) is not a pcap or pcapng capture file (libpcap: \(libpcapMessage))"
        )
    }
}

/// Why reading a capture file stopped before its end; every whole packet before was delivered.
public struct CaptureFileDamage: Sendable, Equatable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// How many packets were read before the damage.
    public var packetsRead: Int
    /// libpcap's message, for example `truncated dump file; tried to read 60 captured bytes, only got 21`.
    public var libpcapMessage: String

    public init(path: String, packetsRead: Int, libpcapMessage: String) {
        self.path = path
        self.packetsRead = packetsRead
        self.libpcapMessage = libpcapMessage
    }

    /// One line, for example `c.pcap is damaged after packet 3: truncated dump file; …`.
    public var description: String {
        "\(path) is damaged after packet \(packetsRead): \(libpcapMessage)"
    }
}
