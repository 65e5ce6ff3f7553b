import SocketTapeReplay
import Testing

struct IgnoreRuleTests {
    @Test(arguments: [
        ("", #"ignore rule "": expected a JSON pointer such as /args/0/ts, or regex:PATTERN"#),
        ("args/0/ts", #"ignore rule "args/0/ts": expected a JSON pointer such as /args/0/ts, or regex:PATTERN"#),
        ("/args/~2", #"ignore rule "/args/~2": '~' must be followed by '0' or '1' (write '~0' for '~', '~1' for '/') (at byte 6)"#),
        ("regex:", #"ignore rule "regex:": empty regular expression"#),
        ("regex:a(", #"ignore rule "regex:a(": invalid regular expression: expected ')'"#),
        (#"regex:\d*"#, #"ignore rule "regex:\\d*": the regular expression matches the empty string"#),
    ])
    func badRulesSayWhatIsWrong(rule: String, message: String) {
        do {
            let parsed = try IgnoreRule(parsing: rule)
            Issue.record("parsed \(parsed)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func rulesPrintAsWritten() throws {
        #expect(try IgnoreRule(parsing: "/items/*/a~1b").description == "/items/*/a~1b")
        #expect(try IgnoreRule(parsing: #"regex:\d+"#).description == #"regex:\d+"#)
    }

    @Test func pointersIgnoreTheValueAndEverythingInsideIt() throws {
        let expected = Fixtures.socketIO(#"42["message",{"ts":1,"user":{"id":1,"name":"ann"},"text":"hi"}]"#)
        let actual = Fixtures.socketIO(#"42["message",{"ts":2,"user":{"id":2,"name":"bob"},"text":"ho"}]"#)
        let rules = try Fixtures.ignoring("/args/0/ts", "/args/0/user")
        let comparison = rules.compare(expected: Fixtures.only(expected), actual: Fixtures.only(actual), identifiers: IdentifierMap())
        #expect(comparison.differences.map(\.summary) == [#"/args/0/text: expected "hi", got "ho""#])
        #expect(comparison.ignored == 3)
    }

    @Test func wildcardsMatchAnyIndexOrMember() throws {
        let expected = Fixtures.plain(#"{"items":[{"id":1,"v":"a"},{"id":2,"v":"b"}],"meta":{"x":{"at":1},"y":{"at":2}}}"#)
        let actual = Fixtures.plain(#"{"items":[{"id":7,"v":"a"},{"id":8,"v":"c"}],"meta":{"x":{"at":5},"y":{"at":6}}}"#)
        #expect(Fixtures.summaries(expected, actual, rules: try Fixtures.ignoring("/items/*/id", "/meta/*/at")) == [#"/items/1/v: expected "b", got "c""#])
        // A wildcard matches one token, not a path of any length.
        #expect(Fixtures.summaries(expected, actual, rules: try Fixtures.ignoring("/*/id", "/meta/*/at")).count == 3)
    }

    @Test func regexesMaskTextBeforeComparing() throws {
        let rules = try Fixtures.ignoring(#"regex:\d{2}:\d{2}:\d{2}"#)
        #expect(Fixtures.summaries(Fixtures.plain("at 12:00:01 ann joined"), Fixtures.plain("at 13:14:15 ann joined"), rules: rules) == [])
        #expect(
            Fixtures.summaries(Fixtures.plain("at 12:00:01 ann joined"), Fixtures.plain("at 13:14:15 bob joined"), rules: rules)
                == [#"expected "at <ignored> ann joined", got "at <ignored> bob joined""#]
        )
        // In JSON and Socket.IO, string values are masked; member names are not.
        #expect(Fixtures.summaries(Fixtures.socketIO(#"42["m",{"at":"12:00:01"}]"#), Fixtures.socketIO(#"42["m",{"at":"23:59:59"}]"#), rules: rules) == [])
    }
}
