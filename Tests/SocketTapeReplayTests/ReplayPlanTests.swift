import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@testable import SocketTapeReplay

@Suite struct ReplayPlanTests {
    private static func record(_ session: String, _ millis: UInt64, _ body: TapeRecord.Body) -> TapeRecord {
        TapeRecord(session: session, time: RecordTime(wallMicros: 0, offsetNanos: millis * 1_000_000), body: body)
    }

    private static func open(_ session: String, at millis: UInt64 = 0, engineIO: Int? = 4, transport: Transport = .websocket, status: Int = 101) -> TapeRecord {
        let request = HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=websocket&token=abc&t=Nx1", headers: [])
        return record(session, millis, .open(SessionOpen(
            client: "c", transport: transport, upstream: "u", request: request,
            response: HTTPResponseRecord(status: status, headers: []), engineIOVersion: engineIO)))
    }

    private static func text(_ session: String, _ millis: UInt64, _ from: Peer, _ text: String) -> TapeRecord {
        record(session, millis, .message(MessageRecord(from: from, opcode: 1, payload: ByteBuffer(string: text), frames: 1, compressed: false)))
    }

    @Test func socketIOPlumbingIsLeftToTheReplayer() throws {
        let plan = ReplayPlan(records: [
            Self.open("a"),
            Self.text("a", 1, .server, #"0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":5000}"#),
            Self.text("a", 2, .client, "40"),
            Self.text("a", 3, .server, #"40{"sid":"x"}"#),
            Self.text("a", 4, .server, "2"),
            Self.text("a", 5, .client, "3"),
            Self.text("a", 6, .client, #"421["chat","hi"]"#),
            Self.text("a", 7, .proxy, #"42["sockettape:dropped",{}]"#),
            Self.text("a", 8, .server, #"431[{"ok":true}]"#),
            Self.record("a", 9, .close(SessionClose(by: .client, code: 1000, reason: "", error: nil))),
        ])
        let script = try #require(plan.scripts.first)
        #expect(script.kind == .socketIO(.v4, transport: .websocket, upgraded: false))
        #expect(script.outgoing.map(\.message.text) == ["40", #"421["chat","hi"]"#])
        #expect(script.outgoing.map(\.offset) == [2_000_000, 6_000_000])
        #expect(script.expected.map(\.message.text) == [#"40{"sid":"x"}"#, #"431[{"ok":true}]"#])
        #expect(script.openPacket?.message.text.hasPrefix("0{") == true)
        #expect(script.end == ReplayScript.End(by: .client, code: 1000, reason: "", offset: 9_000_000))
    }

    @Test func refusedAndHeadlessSessionsAreSkippedWithWhy() {
        let plan = ReplayPlan(records: [
            Self.open("refused", status: 403),
            Self.text("orphan", 1, .client, "hello"),
            Self.text("orphan", 2, .client, "again"),
        ])
        #expect(plan.scripts.isEmpty)
        #expect(plan.skipped == [
            ReplayPlan.Skipped(session: "refused", reason: "its handshake did not succeed (HTTP 403)"),
            ReplayPlan.Skipped(session: "orphan", reason: "its open record is not on the tape"),
        ])
    }

    @Test func sessionsAreSelectedByIdAndByText() {
        let plan = ReplayPlan(records: [
            Self.open("a", engineIO: nil), Self.text("a", 1, .client, "apple"),
            Self.open("b", engineIO: nil), Self.text("b", 1, .server, "banana"),
        ])
        #expect(plan.selecting(sessions: ["b"], grep: nil).scripts.map(\.session) == ["b"])
        #expect(plan.selecting(sessions: nil, grep: "nan").scripts.map(\.session) == ["b"])
        #expect(plan.selecting(sessions: ["a"], grep: "nan").scripts.isEmpty)
    }

    @Test func connectAuthIsReplacedInEveryNamespace() throws {
        let plan = ReplayPlan(records: [
            Self.open("a"),
            Self.text("a", 1, .client, #"40{"token":"[redacted]"}"#),
            Self.text("a", 2, .client, #"40/admin,{"token":"[redacted]"}"#),
            Self.text("a", 3, .client, #"42["chat",{"token":"keep"}]"#),
        ]).replacingConnectAuth(with: ["token": "real"])
        #expect(plan.scripts[0].outgoing.map(\.message.text) == [
            #"40{"token":"real"}"#, #"40/admin,{"token":"real"}"#, #"42["chat",{"token":"keep"}]"#,
        ])
    }

    @Test func engineIOTargetsKeepTheApplicationsParameters() {
        let targets = EngineIORequestTargets(recorded: "/socket.io/?EIO=4&transport=websocket&token=abc&t=Nx1", version: .v4)
        #expect(targets.target(transport: .polling) == "/socket.io/?EIO=4&transport=polling&token=abc")
        #expect(targets.target(transport: .websocket, sid: "s1") == "/socket.io/?EIO=4&transport=websocket&sid=s1&token=abc")
    }

    @Test func serverAckIdsAreRenumberedInOrder() {
        var acks = AckRenumbering(
            expected: [ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"427["question","q"]"#))], version: .v4
        )
        let answer = ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"437["answer"]"#))
        #expect(acks.rewrite(answer) == answer)
        acks.serverSent(ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"4212["question","q"]"#)))
        #expect(acks.rewrite(answer).text == #"4312["answer"]"#)
        let own = ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"435["unrelated"]"#))
        #expect(acks.rewrite(own) == own)
    }
}

@Suite struct CausalClockTests {
    /// alice (starts at 0) shouts at 30 ms, after bob's join answer at 20 ms; bob started at 10 ms.
    private let plan = ReplayPlan(scripts: [
        ReplayScript(
            session: "alice", start: 0, request: HTTPRequestRecord(method: "GET", target: "/", headers: []), kind: .webSocket,
            outgoing: [.init(message: ReplayMessage(opcode: .text, payload: ByteBuffer(string: "shout")), offset: 30_000_000)],
            expected: [.init(message: ReplayMessage(opcode: .text, payload: ByteBuffer(string: "welcome")), offset: 5_000_000, transport: .websocket)]
        ),
        ReplayScript(
            session: "bob", start: 10_000_000, request: HTTPRequestRecord(method: "GET", target: "/", headers: []), kind: .webSocket,
            expected: [.init(message: ReplayMessage(opcode: .text, payload: ByteBuffer(string: "joined")), offset: 10_000_000, transport: .websocket)]
        ),
    ], skipped: [])

    @Test func aMessageWaitsForEveryEarlierServerMessageOfTheRun() {
        let clock = CausalClock(plan: plan)
        #expect(!clock.mayGo("alice", outgoing: 0))
        clock.arrived("alice")
        #expect(!clock.mayGo("alice", outgoing: 0))
        clock.arrived("bob")
        #expect(clock.mayGo("alice", outgoing: 0))
    }

    @Test func anEndedSessionOrAGiveUpNoLongerHoldsOthersBack() {
        let ended = CausalClock(plan: plan)
        ended.arrived("alice")
        ended.ended("bob")
        #expect(ended.mayGo("alice", outgoing: 0))
        let gaveUp = CausalClock(plan: plan)
        gaveUp.giveUp("alice", outgoing: 0)
        #expect(gaveUp.mayGo("alice", outgoing: 0))
    }
}
