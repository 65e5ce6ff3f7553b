/// Why a live capture could not open, or stopped on its own.
public struct LiveCaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs; ``description`` says it for people.
    public struct Code: Sendable, Hashable {
        private let value: UInt8

        /// The interface does not exist.
        public static let noSuchInterface = Code(value: 0)
        /// The process may not capture: it needs root or the CAP_NET_RAW capability.
        public static let permissionDenied = Code(value: 1)
        /// The interface exists but is not up.
        public static let interfaceDown = Code(value: 2)
        /// libpcap rejected the filter expression.
        public static let badFilter = Code(value: 3)
        /// Any other failure to open the capture or start its thread.
        public static let openFailed = Code(value: 4)
        /// Reading packets failed after the capture had started (the interface went away, …).
        public static let captureFailed = Code(value: 5)
    }

    public let code: Code
    /// The interface concerned.
    public let interface: String
    /// One line naming the interface (and the filter, for a bad filter) and the problem.
    public let description: String

    init(_ code: Code, interface: String, _ description: String) {
        self.code = code
        self.interface = interface
        self.description = description
    }
}
