/// What a capture import or live capture read, decoded and skipped: the summary it prints.
public struct CaptureSummary: Sendable, Equatable {
    /// Packets read.
    public var packets = 0
    /// TCP segments decoded (to or from the selected ports).
    public var segments = 0
    /// TCP segments of other ports.
    public var otherPorts = 0
    /// Packets that are not decodable TCP segments, by reason.
    public var skipped: [String: Int] = [:]
    /// The session decoder's counts.
    public var decoding = CaptureDecodingStatistics()

    public init() {}

    /// Human-readable lines, as the commands print them.
    public var lines: [String] {
        var lines = ["\(packets) packet(s), \(segments) TCP segment(s) decoded, \(decoding.connections) connection(s), \(decoding.sessions) session(s)"]
        if otherPorts > 0 { lines.append("\(otherPorts) segment(s) of other ports ignored") }
        for (reason, count) in skipped.sorted(by: { $0.value > $1.value }) {
            lines.append("\(count) packet(s) skipped: \(reason)")
        }
        if decoding.holes > 0 {
            lines.append("\(decoding.holes) hole(s) in captured streams, \(decoding.bytesMissed) byte(s) not captured; \(decoding.bytesSkipped) byte(s) skipped to resynchronise")
        }
        if decoding.undecodedConnections > 0 {
            lines.append("\(decoding.undecodedConnections) connection(s) not decoded, e.g. \(decoding.undecodedExample ?? "")")
        }
        return lines
    }
}
