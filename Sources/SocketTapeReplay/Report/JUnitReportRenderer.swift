/// The report as JUnit XML (`--junit FILE`), for CI systems: one `testsuite`, one `testcase` per
/// session (named `session N ID`), a `failure` for a session that differs and an `error` for one
/// that could not be replayed, whose text is the session's difference lines.
///
/// Written by hand (the project has no XML library and needs none for this): text and
/// attribute values are escaped (`&`, `<`, `>`, `"`, `'`), line breaks and tabs inside attributes
/// kept as character references, and characters XML 1.0 cannot carry (control characters other than
/// tab, line feed and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD.
public enum JUnitReportRenderer {
    /// - Parameter suite: the test suite's name and the test cases' class name, such as the
    ///   tape's file name.
    public static func render(_ report: ReplayReport, suite: String = "sockettape replay") -> String {
        let totals = report.totals
        let counts = #"tests="\#(totals.sessions)" failures="\#(totals.differentSessions)" errors="\#(totals.errorSessions)""#
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="\#(escape(suite))" \#(counts)>"# + "\n"
        xml += #"  <testsuite name="\#(escape(suite))" \#(counts) skipped="0">"# + "\n"
        for (index, session) in report.sessions.enumerated() {
            let name = "session \(index + 1) \(session.session)"
            let opening = #"    <testcase name="\#(escape(name))" classname="\#(escape(suite))""#
            guard session.status != .equal else {
                xml += opening + "/>\n"
                continue
            }
            let element = session.status == .error ? "error" : "failure"
            let details = session.findings.flatMap { $0.lines(session: index + 1) }.joined(separator: "\n")
            xml += opening + ">\n"
            xml += #"      <\#(element) message="\#(escape(session.summary))" type="\#(session.status.rawValue)">"#
            xml += escape(details, attribute: false) + "</\(element)>\n"
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// `text` as an attribute value, or as character data (where line feeds and tabs stay as
    /// they are; a carriage return is always a reference, which parsers would otherwise drop).
    static func escape(_ text: String, attribute: Bool = true) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\n" where attribute: escaped += "&#10;"
            case "\t" where attribute: escaped += "&#9;"
            case "\n", "\t": escaped.unicodeScalars.append(scalar)
            case "\r": escaped += "&#13;"
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
