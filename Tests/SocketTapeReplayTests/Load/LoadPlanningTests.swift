import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@testable import SocketTapeReplay

@Suite struct LoadPlanningTests {
    private static func script(_ session: String, start millis: UInt64, engineIO: EngineIOVersion? = nil, _ texts: String...) -> ReplayScript {
        var script = ReplayScript(
            session: session, start: millis * 1_000_000, request: HTTPRequestRecord(method: "GET", target: "/", headers: []),
            kind: engineIO.map { .socketIO($0, transport: .websocket, upgraded: false) } ?? .webSocket
        )
        script.outgoing = texts.enumerated().map { index, text in
            ReplayScript.Outgoing(message: ReplayMessage(opcode: .text, payload: ByteBuffer(string: text)), offset: UInt64(index) * 1_000_000)
        }
        return script
    }

    private static let plan = ReplayPlan(scripts: [script("a", start: 1000), script("b", start: 1500)], skipped: [])

    @Test func clonesStartAtTheirRecordedOffsetsPlusTheirShareOfTheRampUp() {
        var options = ReplayOptions()
        options.pacing = .recorded
        options.speed = 2
        var load = LoadOptions()
        load.clients = 3
        load.rampUp = .seconds(3)
        let instances = LoadInstance.schedule(Self.plan, options: options, load: load)
        #expect(instances.map { [$0.script, $0.clone] } == [[0, 0], [1, 0], [0, 1], [1, 1], [0, 2], [1, 2]])
        #expect(instances.map(\.delay) == [.zero, .milliseconds(250), .seconds(1), .milliseconds(1250), .seconds(2), .milliseconds(2250)])
    }

    @Test func asapStartsEverySessionOfACloneTogether() {
        var options = ReplayOptions()
        options.pacing = .asap
        var load = LoadOptions()
        load.clients = 2
        #expect(LoadInstance.schedule(Self.plan, options: options, load: load).map(\.delay) == [.zero, .zero, .zero, .zero])
    }

    @Test func shardsSplitTheInstancesWithoutOverlap() throws {
        var load = LoadOptions()
        load.clients = 5
        var seen: [[Int]] = []
        for index in 1...3 {
            load.shard = try LoadShard(parsing: "\(index)/3")
            let mine = LoadInstance.schedule(Self.plan, options: ReplayOptions(), load: load)
            #expect(mine.allSatisfy { ($0.clone * 2 + $0.script) % 3 == index - 1 })
            seen += mine.map { [$0.clone, $0.script] }
        }
        #expect(seen.count == 10)
        #expect(Set(seen.map { $0[0] * 2 + $0[1] }) == Set(0..<10))
    }

    @Test(arguments: ["0/3", "4/3", "1", "a/b", "1/0", "-1/2", "1/2/3"])
    func aBadShardIsRefused(_ text: String) {
        #expect(throws: ReplayConfigurationError.self) { try LoadShard(parsing: text) }
    }

    @Test func placeholdersAndTheAuthListMakeEachCloneItsOwn() {
        let prepared = LoadScript(Self.script("chat-1", start: 0, engineIO: .v4, #"40{"token":"redacted"}"#, #"42["hello","user-{clone} of {session}"]"#, "42[\"plain\"]"))
        let auth: JSONValue = ["token": "t-{clone}"]
        let clone = prepared.instance(CloneIdentity(clone: 7, session: "chat-1"), auth: auth)
        #expect(clone.outgoing.map(\.message.text) == [#"40{"token":"t-7"}"#, #"42["hello","user-7 of chat-1"]"#, "42[\"plain\"]"])
        let unchanged = prepared.instance(CloneIdentity(clone: 1, session: "chat-1"), auth: nil)
        #expect(unchanged.outgoing[0].message.text == #"40{"token":"redacted"}"#)
    }

    @Test func socketIOAckHeadersAreReadWithoutTheJSON() {
        func header(_ text: String) -> SocketIOAckHeader? { SocketIOAckHeader(ByteBuffer(string: text)) }
        #expect(header(#"421["ask",1]"#) == SocketIOAckHeader(kind: .event, namespace: "/", id: 1))
        #expect(header(#"43/chat,17[{"ok":true}]"#) == SocketIOAckHeader(kind: .ack, namespace: "/chat", id: 17))
        #expect(header(#"451-/up,12["file",{"_placeholder":true,"num":0}]"#) == SocketIOAckHeader(kind: .event, namespace: "/up", id: 12))
        #expect(header(#"461-3[{"_placeholder":true,"num":0}]"#) == SocketIOAckHeader(kind: .ack, namespace: "/", id: 3))
        #expect(header(#"42["no ack"]"#) == nil)
        #expect(header("40") == nil)
        #expect(header(#"4{"not":"sio"}"#) == nil)
    }

    @Test func probeTimesAcksByIdAndOtherMessagesByTheFirstAnswer() {
        let prepared = LoadScript(Self.script("s", start: 0, engineIO: .v4, #"421["ask"]"#, #"42["tell"]"#))
        let metrics = LoadMetrics()
        let probe = LoadSessionProbe(script: prepared.script, acks: prepared.acks, metrics: metrics)
        let start = NIODeadline.now()
        probe.sessionSent(outgoing: 0, at: start, due: nil)
        probe.sessionSent(outgoing: 1, at: start + .milliseconds(1), due: nil)
        probe.sessionReceived(ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"42["news"]"#)), at: start + .milliseconds(3))
        probe.sessionReceived(ReplayMessage(opcode: .text, payload: ByteBuffer(string: #"431["answer"]"#)), at: start + .milliseconds(5))
        let sample = metrics.take()
        #expect(sample.counts.ackRoundTrips == 1 && sample.counts.answerRoundTrips == 1)
        #expect(sample.counts.sent == 2 && sample.counts.received == 2)
        var expected = LoadHistogram()
        for millis: Int64 in [2, 5] { expected.record(nanoseconds: millis * 1_000_000) }
        #expect(sample.roundTrip == expected)
        #expect(metrics.take().counts == LoadCounts())
    }

    @Test(arguments: [
        ("connect to 127.0.0.1:9 failed: connection refused", "connect"),
        ("Engine.IO handshake: connect to 127.0.0.1:9 failed: connection refused", "connect"),
        ("Engine.IO handshake: HTTP 400, '{}'", "handshake"),
        ("handshake: server answered HTTP 404 Not Found: nope", "handshake"),
        ("TLS with x:443 failed: bad certificate", "tls"),
        ("server broke RFC 6455: a masked frame (closed with 1002)", "protocol"),
        ("connection closed by the server without a close frame", "connection-lost"),
        ("close: the server did not answer the close frame within 5 s", "close-timeout"),
        ("Engine.IO POST: HTTP 500, 'x'", "polling"),
        ("the replay's --timeout of 3 s passed", "timeout"),
        ("something else", "other"),
    ])
    func errorsAreCountedByKind(_ error: String, _ kind: String) {
        #expect(LoadErrorKind.of(error) == kind)
    }
}
