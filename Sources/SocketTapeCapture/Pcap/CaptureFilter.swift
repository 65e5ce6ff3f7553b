/// A BPF filter expression in libpcap's syntax (`man pcap-filter`), compiled when a
/// ``LiveCapture`` opens.
public struct CaptureFilter: Sendable, Hashable, CustomStringConvertible {
    /// The expression as libpcap compiles it.
    public let expression: String

    /// Any expression libpcap accepts, for example `tcp port 3000 and host 10.0.0.7`.
    public init(expression: String) {
        self.expression = expression
    }

    /// TCP traffic to or from any of `ports`: `tcp port 3000 or tcp port 3001`.
    public static func tcpPorts(_ ports: [UInt16]) -> CaptureFilter {
        precondition(!ports.isEmpty, "a port filter needs at least one port")
        return CaptureFilter(expression: ports.map { "tcp port \($0)" }.joined(separator: " or "))
    }

    public var description: String { expression }
}
