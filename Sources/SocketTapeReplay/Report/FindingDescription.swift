/// The sentences reports use for differences and findings: one line each, every line saying
/// which session and message it is about, so a line found by grep stands on its own.
extension Difference {
    /// `/args/0/text: expected "hi", got "hello"`; no pointer for the whole message.
    public var summary: String {
        let place = path.tokens.isEmpty ? "" : "\(path): "
        let expected = expected ?? "nothing"
        let actual = actual ?? "nothing"
        switch kind {
        case .missingMember:
            return place + "missing (expected \(expected))"
        case .unexpectedMember:
            return place + "unexpected (got \(actual))"
        case .arrayLength:
            return place + "expected \(expected) element\(expected == "1" ? "" : "s"), got \(actual)"
        case .bytes:
            return place + "expected \(expected), got \(actual)" + (offset.map { " (at byte \($0))" } ?? "")
        case .changed, .typeChanged, .text, .messageKind, .packetType, .namespace, .event, .ackID:
            return place + "expected \(expected), got \(actual)" + (offset.map { " (at character \($0))" } ?? "")
        }
    }
}

extension Finding {
    /// At most this many differences of one message are listed in text; the JSON report has all.
    static let maxListedDifferences = 20

    /// The lines describing this finding in session number `session` (1-based, as in the
    /// summary table), such as
    /// `session 3 message 12 (server, /chat "message", t=1.204s): /args/0/text: expected "hi", got "hello"`.
    func lines(session: Int) -> [String] {
        switch self {
        case .differing(let expected, let received, let differences):
            var heading = "session \(session) message \(expected.position) (\(expected.label)"
            if received.position != expected.position { heading += "; received as message \(received.position)" }
            heading += ")"
            var lines = differences.prefix(Self.maxListedDifferences).map { "\(heading): \($0.summary)" }
            if differences.count > Self.maxListedDifferences {
                lines.append("\(heading): … and \(differences.count - Self.maxListedDifferences) more differences")
            }
            if let error = received.decodeError { lines.append("\(heading): the received message did not decode: \(error)") }
            return lines
        case .missing(let expected):
            return ["session \(session) message \(expected.position) (\(expected.label)): missing: \(expected.preview)"]
        case .unexpected(let received):
            let undecoded = received.decodeError.map { " (did not decode: \($0))" } ?? ""
            return ["session \(session) received message \(received.position) (\(received.label)): unexpected: \(received.preview)\(undecoded)"]
        }
    }
}

extension MessageReference {
    /// `server, /chat "message", t=1.204s`: who sent it, its shape, and its time to the millisecond.
    var label: String {
        "server, \(shape)" + (time.map { ", t=\(Self.seconds($0))s" } ?? "")
    }

    /// Nanoseconds as seconds with three decimals.
    static func seconds(_ nanos: UInt64) -> String {
        let millis = (nanos + 500_000) / 1_000_000
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension SessionReport {
    /// `different: 10 equal, 1 differing, 1 missing, 2 unexpected, 2 differences ignored`,
    /// `equal: 12 messages`, or `error: connection refused`.
    var summary: String {
        if let error { return "error: \(error)" }
        let counts = counts
        var parts = [status == .equal ? "\(counts.expected) messages" : "\(counts.equal) equal"]
        if counts.differing > 0 { parts.append("\(counts.differing) differing") }
        if counts.missing > 0 { parts.append("\(counts.missing) missing") }
        if counts.unexpected > 0 { parts.append("\(counts.unexpected) unexpected") }
        if counts.ignored > 0 { parts.append("\(counts.ignored) differences ignored") }
        return "\(status.rawValue): " + parts.joined(separator: ", ")
    }
}
