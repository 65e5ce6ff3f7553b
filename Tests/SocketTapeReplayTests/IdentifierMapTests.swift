import SocketTapeReplay
import SocketTapeWire
import Testing

struct IdentifierMapTests {
    /// Two clients of one chat: the second is told about the first by its sid, and the first
    /// gets a direct message naming the second. Every id differs in the replay.
    private static func run(namingFirstAs named: String) -> [SessionObservation] {
        [
            SessionObservation(
                session: "alice",
                expected: Fixtures.socketIO(Fixtures.handshake("eioAlice0001"), #"40{"sid":"sioAlice0001"}"#, #"42["dm",{"from":"sioBob000001"}]"#),
                actual: Fixtures.socketIO(Fixtures.handshake("eioAlice0002"), #"40{"sid":"sioAlice0002"}"#, #"42["dm",{"from":"sioBob000002"}]"#)
            ),
            SessionObservation(
                session: "bob",
                expected: Fixtures.socketIO(
                    Fixtures.handshake("eioBob000001"), #"40{"sid":"sioBob000001"}"#,
                    #"42["joined",{"peer":"sioAlice0001","room":"/rooms/sioAlice0001/lobby"}]"#
                ),
                actual: Fixtures.socketIO(
                    Fixtures.handshake("eioBob000002"), #"40{"sid":"sioBob000002"}"#,
                    #"42["joined",{"peer":"\#(named)","room":"/rooms/\#(named)/lobby"}]"#
                )
            ),
        ]
    }

    @Test func aMessageNamingAnotherClientComparesEqualWithItsNewSid() {
        let report = ReplayComparator().compare(Self.run(namingFirstAs: "sioAlice0002"))
        #expect(report.sessions.map(\.status) == [.equal, .equal])
        // Alice's session names Bob, whose session comes later in the run.
        #expect(report.sessions[0].counts.equal == 3)
    }

    @Test func aMessageNamingTheWrongClientDiffers() {
        let report = ReplayComparator().compare(Self.run(namingFirstAs: "sioBob000002"))
        #expect(report.sessions.map(\.status) == [.equal, .different])
        guard case .differing(_, _, let differences)? = report.sessions[1].findings.first else {
            Issue.record("no differing message")
            return
        }
        #expect(
            differences.map(\.summary) == [
                #"/args/0/peer: expected "sioAlice0002", got "sioBob000002""#,
                #"/args/0/room: expected "/rooms/sioAlice0002/lobby", got "/rooms/sioBob000002/lobby""#,
            ]
        )
    }

    @Test func learnsSidsAndCapturesFromLinedUpMessages() throws {
        var map = IdentifierMap()
        let handshakes = (Fixtures.socketIO(Fixtures.handshake("old-engine")), Fixtures.socketIO(Fixtures.handshake("new-engine")))
        map.learn(expected: handshakes.0[0], actual: handshakes.1[0], captures: [])
        let captures = [try PointerPattern(parsing: "/args/0/room"), try PointerPattern(parsing: "/args/0/members/*/id")]
        map.learn(
            expected: Fixtures.only(Fixtures.socketIO(#"42["created",{"room":17,"members":[{"id":"m-1"},{"id":"m-2"}]}]"#)),
            actual: Fixtures.only(Fixtures.socketIO(#"42["created",{"room":99,"members":[{"id":"n-1"},{"id":"n-2"}]}]"#)),
            captures: captures
        )
        #expect(map.strings == ["old-engine": "new-engine", "m-1": "n-1", "m-2": "n-2"])
        #expect(map.numbers == ["17": "99"])
        #expect(map["m-2"] == "n-2")
    }

    @Test func idsAreReplacedAsWholeValuesAndInsideLongerStrings() {
        var map = IdentifierMap()
        map.add(recorded: "short", replayed: "SHORT")
        map.add(recorded: "abcdefgh", replayed: "12345678")
        map.add(recorded: "abcdefghij", replayed: "X")
        map.add(recordedNumber: "17", replayed: "99")
        let content = MessageContent.json(["short", "a short one", "abcdefgh", "<abcdefghij><abcdefgh>", 17, 170, "17", ["$bytes": "abcdefgh"]])
        #expect(map.applied(to: content) == .json(["SHORT", "a short one", "12345678", "<X><12345678>", 99, 170, "17", ["$bytes": "abcdefgh"]]))
    }

    @Test func theFirstMappingStaysAndConflictsAreCounted() {
        var map = IdentifierMap()
        map.add(recorded: "a", replayed: "b")
        map.add(recorded: "a", replayed: "c")
        map.add(recorded: "a", replayed: "b")
        map.add(recorded: "same", replayed: "same")
        #expect(map.strings == ["a": "b"])
        #expect(map.conflicts == 1)
    }
}
