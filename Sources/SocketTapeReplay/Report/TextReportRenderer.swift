import SocketTapeWire

/// The report for people (what `sockettape replay` prints): totals, a table with a row per
/// session, then a section per session that is not equal with one line per difference.
///
/// ```
/// replay: 3 sessions: 1 equal, 1 different, 1 error
/// messages: 21 expected, 18 received: 15 equal, 1 differing, 1 missing, 2 unexpected, 2 differences ignored
///
/// #  session  status     expected  received  equal  differing  missing  unexpected  ignored
/// 1  sio-1    equal             5         5      5          0        0           0        2
/// …
///
/// session 2 "chat-7": different: 10 equal, 1 differing, 1 missing, 2 unexpected
///   session 2 message 3 (server, /chat "message", t=1.204s): /args/0/text: expected "hi", got "hello"
/// ```
public enum TextReportRenderer {
    public static func render(_ report: ReplayReport) -> String {
        let totals = report.totals
        var sessionParts = ["\(totals.equalSessions) equal", "\(totals.differentSessions) different"]
        if totals.errorSessions > 0 { sessionParts.append("\(totals.errorSessions) error") }
        var lines = [
            "replay: \(plural(totals.sessions, "session")): " + sessionParts.joined(separator: ", "),
            "messages: \(totals.messages.expected) expected, \(totals.messages.received) received: " + countsPhrase(totals.messages),
        ]
        if !report.sessions.isEmpty {
            lines.append("")
            lines += table(report.sessions)
        }
        for (index, session) in report.sessions.enumerated() where session.status != .equal {
            lines.append("")
            lines.append("session \(index + 1) \(quoted(session.session)): \(session.summary)")
            lines += session.findings.flatMap { $0.lines(session: index + 1) }.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func countsPhrase(_ counts: MessageCounts) -> String {
        var parts = ["\(counts.equal) equal", "\(counts.differing) differing", "\(counts.missing) missing", "\(counts.unexpected) unexpected"]
        if counts.ignored > 0 { parts.append("\(plural(counts.ignored, "difference")) ignored") }
        return parts.joined(separator: ", ")
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    private static func quoted(_ text: String) -> String {
        JSONValue.string(text).jsonText
    }

    /// The summary table: text columns left-aligned, numbers right-aligned, two spaces apart.
    private static func table(_ sessions: [SessionReport]) -> [String] {
        let header = ["#", "session", "status", "expected", "received", "equal", "differing", "missing", "unexpected", "ignored"]
        let leftAligned: Set<Int> = [1, 2]
        let rows = sessions.enumerated().map { index, session -> [String] in
            let counts = session.counts
            return [String(index + 1), session.session, session.status.rawValue]
                + [counts.expected, counts.received, counts.equal, counts.differing, counts.missing, counts.unexpected, counts.ignored].map(String.init)
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return leftAligned.contains(column) ? cell + padding : padding + cell
            }
            return padded.joined(separator: "  ")
        }
    }
}
