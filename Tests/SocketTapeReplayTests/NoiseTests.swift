import SocketTapeReplay
import Testing

struct NoiseTests {
    /// Two runs of a chat session: the handshake's sid, a timestamp, generated ids in a list and
    /// one list of a different length change; the text stays.
    private static let samples = [
        NoiseSample(
            session: "s1",
            first: Fixtures.socketIO(
                Fixtures.handshake("sidAAAAAAAA1"),
                #"42["message",{"ts":100,"text":"hi","items":[{"id":"a1","n":1},{"id":"a2","n":2},{"id":"a3","n":3}]}]"#,
                #"42["presence",{"online":["x","y"],"since":5}]"#,
                #"42["message",{"ts":101,"text":"ho","items":[]}]"#,
                "hello"
            ),
            second: Fixtures.socketIO(
                Fixtures.handshake("sidBBBBBBBB1"),
                #"42["message",{"ts":200,"text":"hi","items":[{"id":"b1","n":1},{"id":"b2","n":2},{"id":"b3","n":3}]}]"#,
                #"42["presence",{"online":["x"],"since":5}]"#,
                #"42["message",{"ts":201,"text":"ho","items":[]}]"#,
                "hullo"
            )
        )
    ]

    @Test func whatDiffersBetweenTwoRunsBecomesNoise() {
        let learned = NoiseLearner.learn(Self.samples)
        #expect(
            learned.rules.fileText == """
                {"version":1,"noise":[
                {"shape":"/ \\"message\\"","pointers":["/args/0/items/*/id","/args/0/ts"]},
                {"shape":"/ \\"presence\\"","pointers":["/args/0/online"]}
                ]}

                """
        )
        // "hello" → "hullo" is not a Socket.IO packet: a whole text, with nothing to point at.
        #expect(learned.unstructured == 1)
        #expect(learned.unpaired == 0)
    }

    @Test func oneDifferingIndexStaysAnIndex() {
        let samples = [
            NoiseSample(session: "s", first: Fixtures.plain(#"[{"a":1},{"a":2}]"#), second: Fixtures.plain(#"[{"a":1},{"a":3}]"#))
        ]
        #expect(NoiseLearner.learn(samples).rules.fileText.contains(#""pointers":["/1/a"]"#))
    }

    @Test func learnedNoiseIsIgnoredLaterOnlyInItsShape() throws {
        let noise = NoiseLearner.learn(Self.samples).rules
        let rules = ComparisonRules(noise: noise)
        let expected = Fixtures.socketIO(#"42["message",{"ts":1,"text":"hi","items":[{"id":"q","n":1}]}]"#, #"42["other",{"ts":1}]"#)
        let actual = Fixtures.socketIO(#"42["message",{"ts":2,"text":"hi","items":[{"id":"r","n":1}]}]"#, #"42["other",{"ts":2}]"#)
        let message = rules.compare(expected: expected[0], actual: actual[0], identifiers: IdentifierMap())
        #expect(message.isEqual)
        #expect(message.ignored == 2)
        #expect(rules.compare(expected: expected[1], actual: actual[1], identifiers: IdentifierMap()).differences.map(\.summary) == ["/args/0/ts: expected 1, got 2"])
    }

    @Test func noiseFilesRoundTrip() throws {
        let noise = NoiseLearner.learn(Self.samples).rules
        #expect(try NoiseRules(fileText: noise.fileText) == noise)
        #expect(NoiseRules().fileText == "{\"version\":1,\"noise\":[]}\n")
        #expect(try NoiseRules(fileText: #"{"version":1,"noise":[{"shape":"text","pointers":["/a~1b/*"]}],"note":"hand-made"}"#).fileText.contains(#""/a~1b/*""#))
    }

    @Test(arguments: [
        ("", "invalid JSON at byte 0: unexpected end of the text"),
        ("[]", "expected a JSON object"),
        (#"{"noise":[]}"#, "/version: missing"),
        (#"{"version":2,"noise":[]}"#, "/version: version 2 is newer than this sockettape reads (1)"),
        (#"{"version":"1","noise":[]}"#, #"/version: expected 1, got "1""#),
        (#"{"version":1}"#, "/noise: missing"),
        (#"{"version":1,"noise":{}}"#, "/noise: expected an array"),
        (#"{"version":1,"noise":[{"pointers":[]}]}"#, "/noise/0/shape: missing"),
        (#"{"version":1,"noise":[{"shape":"text","pointers":["/a",7]}]}"#, "/noise/0/pointers/1: expected a string"),
        (#"{"version":1,"noise":[{"shape":"text","pointers":["a"]}]}"#, "/noise/0/pointers/0: JSON pointer: does not start with '/' (at byte 0)"),
    ])
    func badNoiseFilesSayWhereAndWhy(text: String, message: String) {
        do {
            _ = try NoiseRules(fileText: text)
            Issue.record("read \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}
