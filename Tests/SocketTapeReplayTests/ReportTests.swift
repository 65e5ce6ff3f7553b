import SocketTapeReplay
import SocketTapeWire
import Testing

struct ReportTests {
    /// Messages of a plain WebSocket session with their recorded times, in milliseconds.
    private static func timed(_ messages: [ObservedMessage], milliseconds: [UInt64]) -> [ObservedMessage] {
        zip(messages, milliseconds).map { message, time in
            var message = message
            message.time = time * 1_000_000
            return message
        }
    }

    /// Three sessions: equal with a difference ignored (and pings that are not compared),
    /// different in three ways, and one that could not be replayed.
    static let report: ReplayReport = {
        let sessions = [
            SessionObservation(
                session: "sio-1",
                expected: Fixtures.socketIO(Fixtures.handshake("eioAAAAAAAA1"), "2", #"40{"sid":"sioAAAAAAAA1"}"#, #"42["tick",{"ts":1}]"#),
                actual: Fixtures.socketIO(Fixtures.handshake("eioBBBBBBBB1"), "2", "2", #"40{"sid":"sioBBBBBBBB1"}"#, #"42["tick",{"ts":2}]"#)
            ),
            SessionObservation(
                session: "chat-7",
                expected: timed(
                    Fixtures.plain(#"{"type":"welcome"}"#, #"{"type":"message","text":"a < b & \"c\""}"#, #"{"type":"typing"}"#, #"{"type":"bye"}"#),
                    milliseconds: [500, 1204, 2000, 3000]
                ),
                actual: Fixtures.plain(#"{"type":"welcome"}"#, #"{"type":"message","text":"a > b"}"#, #"{"type":"joined","user":"bob"}"#, #"{"type":"bye"}"#)
            ),
            SessionObservation(
                session: "ws-3", expected: timed(Fixtures.plain(#"{"type":"welcome"}"#), milliseconds: [100]), actual: [], error: "connection refused"
            ),
        ]
        // Force-try: the rule is a literal.
        let rules = try! Fixtures.ignoring("/args/0/ts")
        return ReplayComparator(rules: rules).compare(sessions)
    }()

    @Test func theTextReportHasTotalsATableAndOneLinePerDifference() {
        #expect(
            TextReportRenderer.render(Self.report) == #"""
                replay: 3 sessions: 1 equal, 1 different, 1 error
                messages: 8 expected, 7 received: 5 equal, 1 differing, 2 missing, 1 unexpected, 1 difference ignored

                #  session  status     expected  received  equal  differing  missing  unexpected  ignored
                1  sio-1    equal             3         3      3          0        0           0        1
                2  chat-7   different         4         4      2          1        1           1        0
                3  ws-3     error             1         0      0          0        1           0        0

                session 2 "chat-7": different: 2 equal, 1 differing, 1 missing, 1 unexpected
                  session 2 message 2 (server, {"type":"message"}, t=1.204s): /text: expected "a < b & \"c\"", got "a > b"
                  session 2 message 3 (server, {"type":"typing"}, t=2.000s): missing: {"type":"typing"}
                  session 2 received message 3 (server, {"type":"joined"}): unexpected: {"type":"joined","user":"bob"}

                session 3 "ws-3": error: connection refused
                  session 3 message 1 (server, {"type":"welcome"}, t=0.100s): missing: {"type":"welcome"}

                """#
        )
    }

    @Test func exitStatusIsZeroOnlyWhenEverythingIsEqual() {
        #expect(Self.report.exitStatus == 1)
        #expect(ReplayReport(sessions: [Self.report.sessions[0]]).exitStatus == 0)
        #expect(ReplayReport(sessions: [Self.report.sessions[2]]).exitStatus == 1)
        #expect(ReplayReport(sessions: []).exitStatus == 0)
    }

    @Test func theJSONReportReadsBackEqual() throws {
        let text = Self.report.jsonText
        #expect(try ReplayReport(jsonText: text) == Self.report)
        let json = try JSONValue(parsing: text)
        #expect(json.objectValue?["version"] == 1)
        #expect(json.objectValue?["exit_status"] == 1)
        #expect(json.objectValue?["totals"]?.objectValue?["missing"] == 2)
    }

    @Test func theJSONReportHasADocumentedShape() {
        let session = ReplayReport(sessions: [Self.report.sessions[1]])
        #expect(
            session.jsonText == #"""
                {"version":1,"result":"different","exit_status":1,"totals":{"sessions":1,"equal_sessions":0,"different_sessions":1,"error_sessions":0,"expected":4,"received":4,"equal":2,"differing":1,"missing":1,"unexpected":1,"ignored":0},"sessions":[{"session":"chat-7","status":"different","expected":4,"received":4,"equal":2,"differing":1,"missing":1,"unexpected":1,"ignored":0,"findings":[{"finding":"differing","expected":{"message":2,"shape":"{\"type\":\"message\"}","t":1.204,"preview":"{\"type\":\"message\",\"text\":\"a < b & \\\"c\\\"\"}"},"received":{"message":2,"shape":"{\"type\":\"message\"}","preview":"{\"type\":\"message\",\"text\":\"a > b\"}"},"differences":[{"pointer":"/text","kind":"changed","expected":"\"a < b & \\\"c\\\"\"","actual":"\"a > b\""}]},{"finding":"missing","expected":{"message":3,"shape":"{\"type\":\"typing\"}","t":2.0,"preview":"{\"type\":\"typing\"}"}},{"finding":"unexpected","received":{"message":3,"shape":"{\"type\":\"joined\"}","preview":"{\"type\":\"joined\",\"user\":\"bob\"}"}}]}]}

                """#
        )
    }

    @Test(arguments: [
        (#"{"version":1,"sessions":[{"session":"s","expected":1,"received":1,"ignored":0,"findings":[{"finding":"odd"}]}]}"#,
         #"/sessions/0/findings/0/finding: unknown finding "odd" (expected differing, missing or unexpected)"#),
        (#"{"version":1,"sessions":[{"session":"s","expected":-1,"received":1,"ignored":0,"findings":[]}]}"#,
         "/sessions/0/expected: expected a non-negative integer"),
        (#"{"version":1,"sessions":[{"session":"s","expected":1,"received":1,"ignored":0,"findings":[{"finding":"missing","expected":{"message":1,"shape":"text","preview":"","t":"1s"}}]}]}"#,
         "/sessions/0/findings/0/expected/t: expected non-negative seconds"),
    ])
    func badReportsSayWhereAndWhy(text: String, message: String) {
        do {
            _ = try ReplayReport(jsonText: text)
            Issue.record("read \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func theJUnitReportIsWellFormedAndEscaped() throws {
        let xml = JUnitReportRenderer.render(Self.report, suite: "chat.tape")
        let document = try XMLDocument(parsing: xml)
        #expect(document.root.name == "testsuites")
        let suite = try #require(document.root.children.first)
        #expect(document.root.children.count == 1)
        #expect(suite.name == "testsuite")
        #expect(suite.attributes["tests"] == "3")
        #expect(suite.attributes["failures"] == "1")
        #expect(suite.attributes["errors"] == "1")
        #expect(suite.children.map { $0.attributes["name"] } == ["session 1 sio-1", "session 2 chat-7", "session 3 ws-3"])
        #expect(suite.children.map { $0.children.map(\.name) } == [[], ["failure"], ["error"]])
        let failure = suite.children[1].children[0]
        #expect(failure.attributes["message"] == "different: 2 equal, 1 differing, 1 missing, 1 unexpected")
        #expect(
            failure.text == """
                session 2 message 2 (server, {"type":"message"}, t=1.204s): /text: expected "a < b & \\"c\\"", got "a > b"
                session 2 message 3 (server, {"type":"typing"}, t=2.000s): missing: {"type":"typing"}
                session 2 received message 3 (server, {"type":"joined"}): unexpected: {"type":"joined","user":"bob"}
                """
        )
        #expect(suite.children[2].children[0].attributes["message"] == "error: connection refused")
        #expect(xml.contains(#"expected &quot;a &lt; b &amp; \&quot;c\&quot;&quot;, got &quot;a &gt; b&quot;"#))
    }

    @Test func xmlEscapingCoversAttributesLineBreaksAndControlCharacters() throws {
        let report = ReplayReport(sessions: [SessionReport(session: "<a&b>'\"\n\u{1}", error: "x\ty\r", expected: 0, received: 0)])
        let xml = JUnitReportRenderer.render(report)
        let testcase = try #require(try XMLDocument(parsing: xml).root.children.first?.children.first)
        #expect(testcase.attributes["name"] == "session 1 <a&b>'\"\n\u{FFFD}")
        #expect(testcase.children.first?.attributes["message"] == "error: x\ty\r")
    }
}
