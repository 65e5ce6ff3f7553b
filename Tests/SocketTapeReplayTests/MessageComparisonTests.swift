import NIOCore
import SocketTapeReplay
import SocketTapeWire
import Testing

/// Every kind of difference, with the exact line a report shows for it.
struct MessageComparisonTests {
    @Test func equalMessagesHaveNoDifferences() {
        #expect(Fixtures.summaries(Fixtures.plain(#"{"a":[1,{"b":null}]}"#), Fixtures.plain(#"{"a":[1,{"b":null}]}"#)) == [])
        #expect(Fixtures.summaries(Fixtures.socketIO(#"42["chat",{"t":1}]"#), Fixtures.socketIO(#"42["chat",{"t":1}]"#)) == [])
    }

    @Test func shortTextIsShownWhole() {
        #expect(Fixtures.summaries(Fixtures.plain("hi there"), Fixtures.plain("hi where")) == [#"expected "hi there", got "hi where""#])
    }

    @Test func longTextIsShownAroundItsFirstDifference() {
        let common = String(repeating: "a", count: 50)
        let expected = Fixtures.plain(common + " the quick brown fox jumps over the lazy dog, and again, and again\n")
        let actual = Fixtures.plain(common + " the quick red fox jumps over the lazy dog, and again, and again\n")
        #expect(
            Fixtures.summaries(expected, actual) == [
                #"expected …"aaaaaaaaa the quick brown fox jumps over the "…, got …"aaaaaaaaa the quick red fox jumps over the "… (at character 61)"#
            ]
        )
    }

    @Test func controlCharactersInTextAreVisible() {
        #expect(Fixtures.summaries(Fixtures.plain("a\tb"), Fixtures.plain("a\nb")) == [#"expected "a\tb", got "a\nb""#])
    }

    @Test func binaryMessagesCompareByBytes() {
        let expected = Fixtures.decode([.binary(Array(0..<40))])
        var changed = Array(UInt8(0)..<40)
        changed[20] = 0xFF
        #expect(
            Fixtures.summaries(expected, Fixtures.decode([.binary(changed)])) == [
                "expected 40 bytes: …0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b…, got 40 bytes: …0c 0d 0e 0f 10 11 12 13 ff 15 16 17 18 19 1a 1b… (at byte 20)"
            ]
        )
        #expect(Fixtures.summaries(Fixtures.decode([.binary([1, 2])]), Fixtures.decode([.binary([1, 2, 3])])) == ["expected 2 bytes: 01 02, got 3 bytes: 01 02 03 (at byte 2)"])
    }

    @Test func jsonIsComparedStructurallyWithEveryDifferenceNamed() {
        let expected = Fixtures.plain(#"{"user":{"name":"ann","age":30},"tags":["a","b","c"],"n":1,"gone":true,"a/b~c":1}"#)
        let actual = Fixtures.plain(#"{"tags":["a","x"],"user":{"name":"bob","age":"30"},"n":1.0,"a/b~c":2,"new":{"k":[1]}}"#)
        #expect(
            Fixtures.summaries(expected, actual) == [
                #"/user/name: expected "ann", got "bob""#,
                #"/user/age: expected number 30, got string "30""#,
                "/tags: expected 3 elements, got 2",
                #"/tags/1: expected "b", got "x""#,
                "/gone: missing (expected true)",
                "/a~1b~0c: expected 1, got 2",
                #"/new: unexpected (got {"k":[1]})"#,
            ]
        )
    }

    @Test func differenceKindsAndPointersAreKeptForReports() {
        let comparison = ComparisonRules().compare(
            expected: Fixtures.only(Fixtures.plain(#"{"a":[1],"b":null,"c":1}"#)),
            actual: Fixtures.only(Fixtures.plain(#"{"a":[1,2],"b":{},"d":1}"#)),
            identifiers: IdentifierMap()
        )
        #expect(comparison.differences.map(\.kind) == [.arrayLength, .typeChanged, .missingMember, .unexpectedMember])
        #expect(comparison.differences.map(\.path.description) == ["/a", "/b", "/c", "/d"])
        #expect(comparison.differences[1].summary == "/b: expected null, got object {}")
    }

    @Test func numbersCompareByValue() {
        #expect(Fixtures.summaries(Fixtures.plain("[1.0,1e2,-0,12345678901234567890]"), Fixtures.plain("[1,100,0,12345678901234567890]")) == [])
        #expect(Fixtures.summaries(Fixtures.plain("[12345678901234567890]"), Fixtures.plain("[12345678901234567891]")) == [
            "/0: expected 12345678901234567890, got 12345678901234567891"
        ])
    }

    @Test func textAndJSONAreDifferentKinds() {
        #expect(Fixtures.summaries(Fixtures.plain(#"{"a":1}"#), Fixtures.plain("a=1")) == [#"expected JSON {"a":1}, got text "a=1""#])
        // A bare JSON scalar is text, compared exactly.
        #expect(Fixtures.summaries(Fixtures.plain("1.0"), Fixtures.plain("1")) == [#"expected "1.0", got "1""#])
    }

    @Test func socketIOPacketsCompareByTypeNamespaceEventArgumentsAndAckPresence() {
        #expect(
            Fixtures.summaries(Fixtures.socketIO(#"42/chat,["message",{"user":{"name":"ann"}},2]"#), Fixtures.socketIO(#"42/chat,["message",{"user":{"name":"bob"}},2]"#))
                == [#"/args/0/user/name: expected "ann", got "bob""#]
        )
        #expect(
            Fixtures.summaries(Fixtures.socketIO(#"42/chat,["message",1]"#), Fixtures.socketIO(#"42/room,["notice",1]"#))
                == [#"/nsp: expected "/chat", got "/room""#, #"/event: expected "message", got "notice""#]
        )
        #expect(Fixtures.summaries(Fixtures.socketIO(#"42["a"]"#), Fixtures.socketIO(#"4213["a"]"#)) == ["/id: expected no ack id, got one"])
        #expect(Fixtures.summaries(Fixtures.socketIO(#"427["a"]"#), Fixtures.socketIO(#"42["a"]"#)) == ["/id: expected an ack id, got none"])
        // Ack ids are renumbered by the replaying client: only their presence counts.
        #expect(Fixtures.summaries(Fixtures.socketIO(#"437[{"ok":true}]"#), Fixtures.socketIO(#"4312[{"ok":true}]"#)) == [])
        #expect(
            Fixtures.summaries(Fixtures.socketIO(#"40/admin,{"sid":"x"}"#), Fixtures.socketIO(#"44/admin,{"message":"Not authorized"}"#)) == [
                "/type: expected CONNECT, got CONNECT_ERROR", #"/data/sid: missing (expected "x")"#, #"/data/message: unexpected (got "Not authorized")"#,
            ]
        )
        #expect(Fixtures.summaries(Fixtures.socketIO("40"), Fixtures.socketIO(#"40{"sid":"x"}"#)) == [#"/data: unexpected (got {"sid":"x"})"#])
    }

    @Test func binaryAttachmentsCompareByBytes() {
        let header = #"451-["upload",{"_placeholder":true,"num":0},"name"]"#
        let expected = Fixtures.decode([.text(header), .binary([1, 2, 3])], engineIO: .v4)
        let actual = Fixtures.decode([.text(header), .binary([1, 2, 4])], engineIO: .v4)
        #expect(Fixtures.summaries(expected, actual) == ["/args/0: expected 3 bytes: 01 02 03, got 3 bytes: 01 02 04 (at byte 2)"])
        #expect(Fixtures.summaries(expected, Fixtures.socketIO(#"42["upload",{"$bytes":"AQID"},"name"]"#)) == ["/type: expected BINARY_EVENT, got EVENT"])
    }

    @Test func engineIOHandshakesCompareTheirData() {
        let actual = #"0{"sid":"B","upgrades":[],"pingInterval":5000,"pingTimeout":20000,"maxPayload":1000000}"#
        #expect(
            Fixtures.summaries(Fixtures.socketIO(Fixtures.handshake("A")), Fixtures.socketIO(actual)) == [
                #"/data/sid: expected "A", got "B""#, "/data/upgrades: expected 1 element, got 0", "/data/pingInterval: expected 25000, got 5000",
            ]
        )
        #expect(Fixtures.summaries(Fixtures.socketIO("1"), Fixtures.socketIO(#"42["bye"]"#)) == [#"expected Engine.IO close, got Socket.IO 2["bye"]"#])
    }

    @Test func engineIOControlPacketsAreNotCompared() {
        let messages = Fixtures.socketIO("2", "3probe", "6", "5", "1", Fixtures.handshake("A"), "40")
        #expect(messages.map(\.isCompared) == [false, false, false, false, true, true, true])
    }
}
