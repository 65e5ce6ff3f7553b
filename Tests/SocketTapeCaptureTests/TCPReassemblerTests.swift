import NIOCore
import SocketTapeCapture
import Testing

@Suite struct TCPReassemblerTests {
    let peers = TCPTestPeers()
    let opened = "opened 1 10.0.0.1:51000 -> 10.0.0.2:8080 handshake @1"

    /// SYN (client ISN 1000), SYN-ACK (server ISN 5000), ACK: client data starts at 1001, server data at 5001.
    var handshake: [TCPSegment] {
        [
            peers.segment(.clientToServer, seq: 1000, flags: .syn, at: 1),
            peers.segment(.serverToClient, seq: 5000, ack: 1001, flags: .syn, at: 2),
            peers.segment(.clientToServer, seq: 1001, ack: 5001, at: 3),
        ]
    }

    func makeReassembler(serverPorts: Set<UInt16> = [8080], limits: TCPReassemblyLimits = TCPReassemblyLimits()) -> TCPReassembler {
        TCPReassembler(serverPorts: serverPorts, limits: limits)
    }

    @Test func inOrderStreamIsEmittedAsItArrivesAndForgottenAfterBothFINs() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, ack: 5001, "GET ", at: 4),
            peers.segment(.clientToServer, seq: 1005, ack: 5001, "/x", at: 5),
            peers.segment(.serverToClient, seq: 5001, ack: 1007, "OK", at: 6),
            peers.segment(.clientToServer, seq: 1007, ack: 5003, flags: .fin, at: 7),
            peers.segment(.serverToClient, seq: 5003, ack: 1008, flags: .fin, at: 8),
            peers.segment(.clientToServer, seq: 1008, ack: 5004, at: 9),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "GET " @4"#,
            #"data 1 c>s "/x" @5"#,
            #"data 1 s>c "OK" @6"#,
            "closed 1 c>s fin @7",
            "closed 1 s>c fin @8",
        ])
        #expect(reassembler.trackedConnectionCount == 0)
    }

    @Test func inOrderDataIsThePayloadItselfNotACopy() throws {
        var reassembler = makeReassembler()
        let segment = peers.segment(.clientToServer, seq: 1001, "payload", at: 4)
        var events: [TCPStreamEvent] = []
        for handshakeSegment in handshake { reassembler.process(handshakeSegment, into: &events) }
        reassembler.process(segment, into: &events)
        guard case .data(_, _, let bytes, _) = try #require(events.last) else {
            Issue.record("expected data, got \(events)")
            return
        }
        let emitted = bytes.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let captured = segment.payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(emitted == captured)
    }

    @Test func reorderedSegmentsWaitForTheHoleToFill() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 5),
            peers.segment(.clientToServer, seq: 1004, "def", at: 6),
        ])
        #expect(events == [opened, #"data 1 c>s "abc" @4"#, #"data 1 c>s "def" @6"#, #"data 1 c>s "ghi" @5"#])
    }

    @Test func duplicatedSegmentsAreEmittedOnce() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1001, "abc", at: 5),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 6),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 7),
            peers.segment(.clientToServer, seq: 1004, "def", at: 8),
            peers.segment(.clientToServer, seq: 1004, "def", at: 9),
        ])
        #expect(events == [opened, #"data 1 c>s "abc" @4"#, #"data 1 c>s "def" @8"#, #"data 1 c>s "ghi" @6"#])
    }

    @Test func overlappingSegmentsWithDifferentBytesKeepTheBytesSeenFirst() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1004, "XYZ", at: 4),
            peers.segment(.clientToServer, seq: 1001, "abcdefgh", at: 5),
            peers.segment(.clientToServer, seq: 1001, "zzzzzzzzij", at: 6),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @5"#,
            #"data 1 c>s "XYZ" @4"#,
            #"data 1 c>s "gh" @5"#,
            #"data 1 c>s "ij" @6"#,
        ])
    }

    @Test func retransmissionOfAcknowledgedDataIsDropped() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, ack: 5001, "hello", at: 4),
            peers.segment(.serverToClient, seq: 5001, ack: 1006, at: 5),
            peers.segment(.clientToServer, seq: 1001, ack: 5001, "hello", at: 6),
            peers.segment(.clientToServer, seq: 1006, ack: 5001, "!", at: 7),
        ])
        #expect(events == [opened, #"data 1 c>s "hello" @4"#, #"data 1 c>s "!" @7"#])
    }

    @Test func holeAcknowledgedByTheReceiverIsAGapAndLateRetransmissionsAreDropped() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 5),
            peers.segment(.serverToClient, seq: 5001, ack: 1010, at: 6),
            peers.segment(.serverToClient, seq: 5001, ack: 1015, at: 7),
            peers.segment(.clientToServer, seq: 1004, "def", at: 8),
            peers.segment(.clientToServer, seq: 1010, "jklmn", at: 9),
            peers.segment(.clientToServer, seq: 1015, "o", at: 10),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "gap 1 c>s 3 @6",
            #"data 1 c>s "ghi" @5"#,
            "gap 1 c>s 5 @7",
            #"data 1 c>s "o" @10"#,
        ])
    }

    @Test func aFINReorderedAheadOfDataWaitsForIt() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, flags: .fin, "ghi", at: 5),
            peers.segment(.clientToServer, seq: 1004, "def", at: 6),
        ])
        #expect(events == [opened, #"data 1 c>s "abc" @4"#, #"data 1 c>s "def" @6"#, #"data 1 c>s "ghi" @5"#, "closed 1 c>s fin @6"])
    }

    @Test func holeBeforeAFINIsAGapOnceThePeerAcknowledgesTheFIN() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, flags: .fin, "ghi", at: 5),
            peers.segment(.serverToClient, seq: 5001, ack: 1011, at: 6),
        ])
        #expect(events == [opened, #"data 1 c>s "abc" @4"#, "gap 1 c>s 3 @6", #"data 1 c>s "ghi" @5"#, "closed 1 c>s fin @6"])
    }

    @Test func holeBeforeAFINIsAGapAtTheEndOfTheCapture() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, flags: .fin, "ghi", at: 5),
        ], finishAt: 9)
        #expect(events == [opened, #"data 1 c>s "abc" @4"#, "gap 1 c>s 3 @9", #"data 1 c>s "ghi" @5"#, "closed 1 c>s fin @9", "unfinished 1 @9"])
    }

    @Test func holeIsAGapWhenTheBufferedBytesExceedTheLimit() {
        var reassembler = makeReassembler(limits: TCPReassemblyLimits(maxBufferedBytesPerDirection: 5))
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 5),
            peers.segment(.clientToServer, seq: 1010, "jkl", at: 6),
            peers.segment(.clientToServer, seq: 1004, "def", at: 7),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "gap 1 c>s 3 @6",
            #"data 1 c>s "ghi" @5"#,
            #"data 1 c>s "jkl" @6"#,
        ])
    }

    @Test func holeIsAGapWhenTheBufferedSegmentsExceedTheLimit() {
        var reassembler = makeReassembler(limits: TCPReassemblyLimits(maxBufferedSegmentsPerDirection: 1))
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "g", at: 5),
            peers.segment(.clientToServer, seq: 1009, "i", at: 6),
            peers.segment(.clientToServer, seq: 1008, "h", at: 7),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "gap 1 c>s 3 @6",
            #"data 1 c>s "g" @5"#,
            #"data 1 c>s "h" @7"#,
            #"data 1 c>s "i" @6"#,
        ])
    }

    @Test func finishDeclaresHolesAndEndsOpenConnectionsInOpeningOrder() {
        var reassembler = makeReassembler()
        var second = self.peers
        second.client.port = 51001
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 5),
            second.segment(.clientToServer, seq: 300, "x", at: 6),
            peers.segment(.serverToClient, seq: 5003, "late", at: 7),
        ], finishAt: 100)
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "opened 2 10.0.0.1:51001 -> 10.0.0.2:8080 mid-stream @6",
            #"data 2 c>s "x" @6"#,
            "gap 1 c>s 3 @100",
            #"data 1 c>s "ghi" @5"#,
            "gap 1 s>c 2 @100",
            #"data 1 s>c "late" @7"#,
            "unfinished 1 @100",
            "unfinished 2 @100",
        ])
        #expect(reassembler.trackedConnectionCount == 0)
    }

    @Test func midStreamStartTakesTheClientFromTheServerPortsAndTheOtherSidesAcks() {
        var reassembler = makeReassembler(serverPorts: [8080])
        let events = reassembler.run([
            peers.segment(.serverToClient, seq: 777, ack: 999, "hi", at: 1),
            peers.segment(.clientToServer, seq: 999, ack: 779, "yo", at: 2),
            peers.segment(.serverToClient, seq: 779, ack: 1005, at: 3),
        ])
        #expect(events == [
            "opened 1 10.0.0.1:51000 -> 10.0.0.2:8080 mid-stream @1",
            #"data 1 s>c "hi" @1"#,
            #"data 1 c>s "yo" @2"#,
            "gap 1 c>s 4 @3",
        ])
    }

    @Test func midStreamStartWithoutADecisiveServerPortMakesTheHigherPortTheClient() {
        var peers = self.peers
        peers.client.port = 40000
        peers.server.port = 3000
        let first = peers.segment(.serverToClient, seq: 1, "hi", at: 1)
        for serverPorts: Set<UInt16> in [[], [3000, 40000]] {
            var reassembler = makeReassembler(serverPorts: serverPorts)
            #expect(reassembler.run([first]) == [
                "opened 1 10.0.0.1:40000 -> 10.0.0.2:3000 mid-stream @1", #"data 1 s>c "hi" @1"#,
            ])
        }
        var listingTheHigherPort = makeReassembler(serverPorts: [40000])
        #expect(listingTheHigherPort.run([first]) == [
            "opened 1 10.0.0.2:3000 -> 10.0.0.1:40000 mid-stream @1", #"data 1 c>s "hi" @1"#,
        ])
    }

    @Test func pureACKsLoneFINsAndRSTsOfAnUnknownConnectionOpenNothing() {
        var reassembler = makeReassembler()
        let events = reassembler.run([
            peers.segment(.clientToServer, seq: 1, ack: 1, at: 1),
            peers.segment(.serverToClient, seq: 1, ack: 1, flags: .fin, at: 2),
            peers.segment(.clientToServer, seq: 1, flags: .rst, "reset", at: 3),
        ])
        #expect(events.isEmpty)
        #expect(reassembler.trackedConnectionCount == 0)
    }

    @Test func segmentsAndAcknowledgmentsBeyondTheLargestWindowAreIgnored() {
        var reassembler = makeReassembler()
        let beyondWindow: UInt32 = 1001 + (1 << 30) + 1
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: beyondWindow, "far", at: 4),
            peers.segment(.serverToClient, seq: 5001, ack: beyondWindow, at: 5),
            peers.segment(.clientToServer, seq: 1001, "near", at: 6),
        ], finishAt: 7)
        #expect(events == [opened, #"data 1 c>s "near" @6"#, "unfinished 1 @7"])
    }

    @Test func synAckWithoutSYNMakesItsReceiverTheClientAndStartsBothDirections() {
        var reassembler = makeReassembler(serverPorts: [])
        let events = reassembler.run([
            peers.segment(.serverToClient, seq: 5000, ack: 1001, flags: .syn, at: 1),
            peers.segment(.clientToServer, seq: 1003, "cd", at: 2),
            peers.segment(.serverToClient, seq: 5001, ack: 1005, at: 3),
        ])
        #expect(events == [opened, "gap 1 c>s 2 @3", #"data 1 c>s "cd" @2"#])
    }

    @Test func portReuseAfterBothFINsIsANewConnection() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, ack: 5001, flags: .fin, at: 4),
            peers.segment(.serverToClient, seq: 5001, ack: 1002, flags: .fin, at: 5),
            peers.segment(.clientToServer, seq: 1002, ack: 5002, at: 6),
            peers.segment(.clientToServer, seq: 9000, flags: .syn, at: 7),
            peers.segment(.clientToServer, seq: 9001, "new", at: 8),
        ])
        #expect(events == [
            opened,
            "closed 1 c>s fin @4",
            "closed 1 s>c fin @5",
            "opened 2 10.0.0.1:51000 -> 10.0.0.2:8080 handshake @7",
            #"data 2 c>s "new" @8"#,
        ])
    }

    @Test func resetDeclaresHolesEndsTheConnectionAndThePortCanBeReused() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.clientToServer, seq: 1007, "ghi", at: 5),
            peers.segment(.serverToClient, seq: 5001, flags: .rst, at: 6),
            peers.segment(.clientToServer, seq: 1000, flags: .syn, at: 7),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "gap 1 c>s 3 @6",
            #"data 1 c>s "ghi" @5"#,
            "closed 1 s>c rst @6",
            "opened 2 10.0.0.1:51000 -> 10.0.0.2:8080 handshake @7",
        ])
    }

    @Test func dataOnTheSYNFollowsTheSYNsSequenceNumber() {
        var reassembler = makeReassembler()
        let events = reassembler.run([
            peers.segment(.clientToServer, seq: 1000, flags: .syn, "fast", at: 1),
            peers.segment(.clientToServer, seq: 1005, "open", at: 2),
        ])
        #expect(events == [opened, #"data 1 c>s "fast" @1"#, #"data 1 c>s "open" @2"#])
    }

    @Test func resetAfterOneFINClosesTheResettingDirectionAgainAndEndsTheConnection() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, ack: 5001, flags: .fin, "bye", at: 4),
            peers.segment(.clientToServer, seq: 1005, flags: .rst, at: 5),
            peers.segment(.serverToClient, seq: 5001, ack: 1005, at: 6),
        ])
        #expect(events == [opened, #"data 1 c>s "bye" @4"#, "closed 1 c>s fin @4", "closed 1 c>s rst @5"])
        #expect(reassembler.trackedConnectionCount == 0)
    }

    @Test func lateSegmentsOfAConnectionEndedByFINsAreIgnoredDuringTimeWait() {
        var reassembler = makeReassembler(limits: TCPReassemblyLimits(timeWaitMicros: 100))
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, ack: 5001, "abc", at: 4),
            peers.segment(.serverToClient, seq: 5001, ack: 1004, flags: .fin, "bye", at: 5),
            peers.segment(.clientToServer, seq: 1004, ack: 5005, flags: .fin, at: 6),
            peers.segment(.serverToClient, seq: 5001, ack: 1005, flags: .fin, "bye", at: 7),
            peers.segment(.serverToClient, seq: 5005, ack: 1005, "late", at: 105),
            peers.segment(.serverToClient, seq: 5005, ack: 1005, "later", at: 106),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            #"data 1 s>c "bye" @5"#,
            "closed 1 s>c fin @5",
            "closed 1 c>s fin @6",
            "opened 2 10.0.0.1:51000 -> 10.0.0.2:8080 mid-stream @106",
            #"data 2 s>c "later" @106"#,
        ])
    }

    @Test func timeWaitRemembersAsManyEndedConnectionsAsTheConnectionLimit() {
        var reassembler = makeReassembler(limits: TCPReassemblyLimits(maxConnections: 1))
        var first = self.peers, second = self.peers
        first.client.port = 51001
        second.client.port = 51002
        let events = reassembler.run([
            first.segment(.clientToServer, seq: 100, "a", at: 1),
            first.segment(.serverToClient, seq: 900, flags: .rst, at: 2),
            second.segment(.clientToServer, seq: 200, "b", at: 3),
            second.segment(.serverToClient, seq: 900, flags: .rst, at: 4),
            first.segment(.clientToServer, seq: 101, "c", at: 5),
            second.segment(.clientToServer, seq: 201, "d", at: 6),
        ])
        #expect(events == [
            "opened 1 10.0.0.1:51001 -> 10.0.0.2:8080 mid-stream @1",
            #"data 1 c>s "a" @1"#,
            "closed 1 s>c rst @2",
            "opened 2 10.0.0.1:51002 -> 10.0.0.2:8080 mid-stream @3",
            #"data 2 c>s "b" @3"#,
            "closed 2 s>c rst @4",
            "opened 3 10.0.0.1:51001 -> 10.0.0.2:8080 mid-stream @5",
            #"data 3 c>s "c" @5"#,
        ])
    }

    @Test func inFlightDataAfterAResetIsIgnoredAndANewSYNStillOpens() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", at: 4),
            peers.segment(.serverToClient, seq: 5001, flags: .rst, at: 5),
            peers.segment(.clientToServer, seq: 1004, "def", at: 6),
            peers.segment(.clientToServer, seq: 2000, flags: .syn, at: 7),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "closed 1 s>c rst @5",
            "opened 2 10.0.0.1:51000 -> 10.0.0.2:8080 handshake @7",
        ])
    }

    @Test func synRetransmissionsKeepTheConnectionAndANewISNStartsANewOne() {
        var reassembler = makeReassembler()
        let events = reassembler.run([
            peers.segment(.clientToServer, seq: 1000, flags: .syn, at: 1),
            peers.segment(.clientToServer, seq: 1000, flags: .syn, at: 2),
            peers.segment(.serverToClient, seq: 5000, ack: 1001, flags: .syn, at: 3),
            peers.segment(.serverToClient, seq: 5000, ack: 1001, flags: .syn, at: 4),
            peers.segment(.clientToServer, seq: 1001, ack: 5001, "abc", at: 5),
            peers.segment(.clientToServer, seq: 7000, flags: .syn, at: 6),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @5"#,
            "unfinished 1 @6",
            "opened 2 10.0.0.1:51000 -> 10.0.0.2:8080 handshake @6",
        ])
    }

    @Test func sequenceNumbersWrapAt2To32() {
        var reassembler = makeReassembler()
        let isn = UInt32.max - 2
        let events = reassembler.run([
            peers.segment(.clientToServer, seq: isn, flags: .syn, at: 1),
            peers.segment(.clientToServer, seq: 0, "cdef", at: 2),
            peers.segment(.clientToServer, seq: isn &+ 1, "ab", at: 3),
            peers.segment(.serverToClient, seq: 5000, ack: 4, at: 4),
            peers.segment(.serverToClient, seq: 5000, ack: 7, at: 5),
            peers.segment(.clientToServer, seq: 7, flags: .fin, at: 6),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "ab" @3"#,
            #"data 1 c>s "cdef" @2"#,
            "gap 1 c>s 3 @5",
            "closed 1 c>s fin @6",
        ])
    }

    @Test func truncatedBytesAreAGapRightAfterTheirPayload() {
        var reassembler = makeReassembler()
        let events = reassembler.run(handshake + [
            peers.segment(.clientToServer, seq: 1001, "abc", truncated: 5, at: 4),
            peers.segment(.clientToServer, seq: 1009, "xyz", at: 5),
            peers.segment(.clientToServer, seq: 1015, "pq", truncated: 2, at: 6),
            peers.segment(.clientToServer, seq: 1012, "rst", at: 7),
            peers.segment(.clientToServer, seq: 1019, "u", at: 8),
        ])
        #expect(events == [
            opened,
            #"data 1 c>s "abc" @4"#,
            "gap 1 c>s 5 @4",
            #"data 1 c>s "xyz" @5"#,
            #"data 1 c>s "rst" @7"#,
            #"data 1 c>s "pq" @6"#,
            "gap 1 c>s 2 @6",
            #"data 1 c>s "u" @8"#,
        ])
    }

    @Test func openingOneConnectionTooManyEndsTheOneIdleTheLongest() {
        var reassembler = makeReassembler(limits: TCPReassemblyLimits(maxConnections: 2))
        var first = self.peers, second = self.peers, third = self.peers
        first.client.port = 51001
        second.client.port = 51002
        third.client.port = 51003
        let events = reassembler.run([
            first.segment(.clientToServer, seq: 100, "a", at: 1),
            second.segment(.clientToServer, seq: 200, "x", at: 2),
            second.segment(.clientToServer, seq: 202, "z", at: 2),
            first.segment(.clientToServer, seq: 101, "b", at: 3),
            third.segment(.clientToServer, seq: 300, "m", at: 4),
        ])
        #expect(events == [
            "opened 1 10.0.0.1:51001 -> 10.0.0.2:8080 mid-stream @1",
            #"data 1 c>s "a" @1"#,
            "opened 2 10.0.0.1:51002 -> 10.0.0.2:8080 mid-stream @2",
            #"data 2 c>s "x" @2"#,
            #"data 1 c>s "b" @3"#,
            "gap 2 c>s 1 @4",
            #"data 2 c>s "z" @2"#,
            "unfinished 2 @4",
            "opened 3 10.0.0.1:51003 -> 10.0.0.2:8080 mid-stream @4",
            #"data 3 c>s "m" @4"#,
        ])
        #expect(reassembler.trackedConnectionCount == 2)
    }
}
