import NIOCore
import NIOHTTP1
import SocketTapePolicy
import SocketTapeTape
import SocketTapeWire
import Testing

@testable import SocketTapeProxy

@Suite struct PollingBodyGateTests {
    /// A session whose client may send 2 `chat` events (a bucket that does not refill during a test).
    private func session(action: PolicyAction, notice: String? = nil) -> SessionPolicy {
        let rule = LimitRule(name: "chat", messages: Rate(perSecond: 1.0 / 3600, burst: 2), event: "chat", action: action)
        let engine = PolicyEngine(configuration: PolicyConfiguration(limits: [rule], dropNoticeEvent: notice))
        return SessionPolicy(engine: engine, identity: "u", socketIO: .v5)
    }

    private func gate(_ body: String) -> PollingBodyGate {
        var gate = PollingBodyGate(upstreamHead: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/socket.io/?EIO=4&transport=polling&sid=s"))
        gate.body = ByteBuffer(string: body)
        return gate
    }

    private let fourChats = "42[\"chat\",1]\u{1e}42[\"other\"]\u{1e}42[\"chat\",2]\u{1e}42[\"chat\",3]\u{1e}2"

    @Test func aBodyWithNothingDroppedGoesOnAsItCame() {
        var policy = session(action: .drop)
        var gate = gate("42[\"chat\",1]\u{1e}2")
        #expect(gate.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .forward(nil))
        #expect(gate.decisions.isEmpty)
    }

    @Test func droppedPacketsAreCutOutAndTheRestReencoded() {
        var policy = session(action: .drop, notice: "dropped")
        var gate = gate(fourChats)
        let outcome = gate.advance(policy: &policy, version: .v4, binary: false, now: .now())
        #expect(outcome == .forward(ByteBuffer(string: "42[\"chat\",1]\u{1e}42[\"other\"]\u{1e}42[\"chat\",2]\u{1e}2")))
        #expect(gate.decisions.map(\.action) == ["drop"])
        #expect(gate.decisions.first?.identity == "u")
        let notices = gate.takeNotices()
        #expect(notices.map(\.text) == [#"2["dropped",{"event":"chat","rule":"chat","detail":"messages: 1/h exceeded"}]"#])
        #expect(gate.takeNotices().isEmpty)
    }

    @Test func aBodyOfOnlyDroppedPacketsIsAnsweredByTheProxy() {
        var policy = session(action: .drop)
        var first = gate("42[\"chat\",1]\u{1e}42[\"chat\",2]")
        #expect(first.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .forward(nil))
        var second = gate("42[\"chat\",3]")
        #expect(second.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .answerOK)
    }

    @Test func aDelayStopsAtItsPacketAndIsRecordedOnce() {
        var policy = session(action: .delay)
        var gate = gate(fourChats)
        #expect(gate.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .delay)
        #expect(gate.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .delay)
        #expect(gate.decisions.map(\.action) == ["delay"])
    }

    @Test func closeNamesItsRule() {
        var policy = session(action: .close)
        var gate = gate(fourChats)
        #expect(gate.advance(policy: &policy, version: .v4, binary: false, now: .now()) == .close(rule: "chat", detail: "messages: 1/h exceeded"))
    }

    @Test func aBodyThatIsNotAPayloadGoesToTheServerToRefuse() {
        var policy = session(action: .drop)
        var gate = gate("")
        gate.body = ByteBuffer(bytes: [0xFF, 0x00])
        #expect(gate.advance(policy: &policy, version: .v3, binary: false, now: .now()) == .forward(nil))
    }
}
