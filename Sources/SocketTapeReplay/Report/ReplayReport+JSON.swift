import SocketTapeTape
import SocketTapeWire

/// The JSON report of `--report FILE` (docs/replay.md, "JSON report"): one object, versioned,
/// members in a fixed order, optional members left out rather than null.
extension ReplayReport {
    /// The version this code writes and reads.
    public static let formatVersion = 1

    /// The report as JSON text, one line, ending with a newline.
    public var jsonText: String { json.jsonText + "\n" }

    /// The report as a JSON value.
    public var json: JSONValue {
        let totals = totals
        var totalsObject: JSONObject = [
            "sessions": .integer(totals.sessions), "equal_sessions": .integer(totals.equalSessions),
            "different_sessions": .integer(totals.differentSessions), "error_sessions": .integer(totals.errorSessions),
        ]
        totalsObject.members += totals.messages.jsonMembers
        return [
            "version": .integer(Self.formatVersion), "result": .string(isEqual ? "equal" : "different"), "exit_status": .integer(exitStatus),
            "totals": .object(totalsObject), "sessions": .array(sessions.map(\.json)),
        ]
    }

    /// Reads a report written by ``jsonText``. Totals and counts are derived, so they are not
    /// read; other members are ignored.
    ///
    /// - Throws: ``ReplayFileError`` naming the JSON pointer of the first value that is wrong.
    public init(jsonText: String) throws(ReplayFileError) {
        let root = try DocumentValue.root(parsing: jsonText, version: Self.formatVersion)
        var sessions: [SessionReport] = []
        for session in try root.member("sessions").elements() {
            sessions.append(try SessionReport(session))
        }
        self.init(sessions: sessions)
    }
}

extension MessageCounts {
    var jsonMembers: [JSONObject.Member] {
        [
            ("expected", .integer(expected)), ("received", .integer(received)), ("equal", .integer(equal)),
            ("differing", .integer(differing)), ("missing", .integer(missing)), ("unexpected", .integer(unexpected)),
            ("ignored", .integer(ignored)),
        ]
    }
}

extension SessionReport {
    var json: JSONValue {
        var object: JSONObject = ["session": .string(session), "status": .string(status.rawValue)]
        if let error { object["error"] = .string(error) }
        object.members += counts.jsonMembers
        object["findings"] = .array(findings.map(\.json))
        return .object(object)
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        var findings: [Finding] = []
        for finding in try document.member("findings").elements() {
            findings.append(try Finding(finding))
        }
        self.init(
            session: try document.member("session").string(), error: try document.optionalMember("error")?.string(),
            expected: try document.member("expected").count(), received: try document.member("received").count(),
            ignored: try document.member("ignored").count(), findings: findings
        )
    }
}

extension Finding {
    var json: JSONValue {
        switch self {
        case .differing(let expected, let received, let differences):
            ["finding": "differing", "expected": expected.json, "received": received.json, "differences": .array(differences.map(\.json))]
        case .missing(let expected):
            ["finding": "missing", "expected": expected.json]
        case .unexpected(let received):
            ["finding": "unexpected", "received": received.json]
        }
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        let kind = try document.member("finding")
        switch try kind.string() {
        case "differing":
            var differences: [Difference] = []
            for difference in try document.member("differences").elements() {
                differences.append(try Difference(difference))
            }
            self = .differing(
                expected: try MessageReference(document.member("expected")), received: try MessageReference(document.member("received")),
                differences: differences
            )
        case "missing":
            self = .missing(try MessageReference(document.member("expected")))
        case "unexpected":
            self = .unexpected(try MessageReference(document.member("received")))
        case let other:
            throw kind.error("unknown finding \(JSONValue.string(other).jsonText) (expected differing, missing or unexpected)")
        }
    }
}

extension MessageReference {
    var json: JSONValue {
        var object: JSONObject = ["message": .integer(position), "shape": .string(shape)]
        if let time { object["t"] = .number(TimeText.seconds(offsetNanos: time)) }
        object["preview"] = .string(preview)
        if let decodeError { object["decode_error"] = .string(decodeError) }
        return .object(object)
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        var time: UInt64?
        if let seconds = document.optionalMember("t") {
            guard case .number(let text) = seconds.value, let nanos = TimeText.offsetNanos(seconds: text) else {
                throw seconds.error("expected non-negative seconds")
            }
            time = nanos
        }
        self.init(
            position: try document.member("message").count(), shape: try document.member("shape").string(), time: time,
            preview: try document.member("preview").string(), decodeError: try document.optionalMember("decode_error")?.string()
        )
    }
}

extension Difference {
    var json: JSONValue {
        var object: JSONObject = ["pointer": .string(path.description), "kind": .string(kind.rawValue)]
        if let expected { object["expected"] = .string(expected) }
        if let actual { object["actual"] = .string(actual) }
        if let offset { object["offset"] = .integer(offset) }
        return .object(object)
    }

    fileprivate init(_ document: DocumentValue) throws(ReplayFileError) {
        let pointer = try document.member("pointer")
        let text = try pointer.string()
        let path: JSONPath
        do {
            path = try JSONPath(pointer: text)
        } catch {
            throw pointer.error(error.description)
        }
        let kindValue = try document.member("kind")
        guard let kind = DifferenceKind(rawValue: try kindValue.string()) else {
            throw kindValue.error("unknown kind \(kindValue.value.jsonText)")
        }
        self.init(
            path: path, kind: kind, expected: try document.optionalMember("expected")?.string(), actual: try document.optionalMember("actual")?.string(),
            offset: try document.optionalMember("offset")?.count()
        )
    }
}
