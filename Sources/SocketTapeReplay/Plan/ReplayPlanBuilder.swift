import NIOCore
import SocketTapeTape
import SocketTapeWire

/// Builds a ``ReplayPlan`` from a tape's records, one session at a time as its records arrive.
///
/// Kept: the client's and the server's data messages (plain WebSocket: text and binary; Socket.io:
/// Engine.IO `message` packets and binary attachments) and the session's end. Left out: control
/// frames (the replayer's connection answers pings itself), Engine.IO open, ping, pong, upgrade
/// and noop packets (the replayer does its own handshake, heartbeat and upgrade), and messages the
/// proxy sent itself (a server without the proxy does not send them). Sessions whose handshake
/// did not succeed, or that never opened on the tape (it starts mid-session), are skipped with why.
struct ReplayPlanBuilder {
    private var open: [String: ReplayScript] = [:]
    private var order: [String] = []
    private var done: [String: ReplayScript] = [:]
    private var skipped: [ReplayPlan.Skipped] = []
    private var seenSkipped: Set<String> = []

    mutating func add(_ record: TapeRecord) {
        let session = record.session
        switch record.body {
        case .open(let opened):
            begin(session, opened, at: record.time.offsetNanos)
        case .upgrade(let upgrade):
            if case .socketIO(let version, let transport, _)? = open[session]?.kind, upgrade.response?.status == 101 {
                open[session]?.kind = .socketIO(version, transport: transport, upgraded: true)
            }
        case .message(let message):
            guard var script = open[session] else { return skip(session, "its open record is not on the tape") }
            append(message, at: record.time.offsetNanos, to: &script)
            open[session] = script
        case .close(let close):
            guard var script = open.removeValue(forKey: session) else { return }
            let offset = record.time.offsetNanos &- script.start
            script.end = script.end ?? ReplayScript.End(by: close.by, code: close.code, reason: close.reason, offset: offset)
            done[session] = script
        case .frame, .http, .policy, .gap:
            return
        }
    }

    mutating func finish() -> ReplayPlan {
        for (session, script) in open { done[session] = script }
        open = [:]
        return ReplayPlan(scripts: order.compactMap { done[$0] }, skipped: skipped)
    }

    private mutating func begin(_ session: String, _ opened: SessionOpen, at offset: UInt64) {
        let kind: ReplayScript.Kind
        if let version = opened.engineIOVersion.flatMap(EngineIOVersion.init(rawValue:)) {
            kind = .socketIO(version, transport: opened.transport, upgraded: false)
        } else {
            kind = .webSocket
        }
        let accepted = opened.transport == .polling ? opened.response?.status == 200 : opened.response?.status == 101
        guard accepted else {
            let status = opened.response.map { "HTTP \($0.status)" } ?? "no answer"
            return skip(session, "its handshake did not succeed (\(status))")
        }
        open[session] = ReplayScript(session: session, start: offset, request: opened.request, kind: kind)
        order.append(session)
    }

    private func append(_ record: MessageRecord, at time: UInt64, to script: inout ReplayScript) {
        guard let opcode = WebSocketOpcode(rawValue: record.opcode) else { return }
        let offset = time &- script.start
        let message = ReplayMessage(opcode: opcode, payload: record.payload)
        if opcode == .close {
            let parsed = try? WebSocketClosePayload.parse(record.payload)
            let by: Peer = record.from == .client ? .client : .server
            script.end = script.end ?? ReplayScript.End(by: by, code: parsed?.code, reason: parsed?.reason ?? "", offset: offset)
            return
        }
        guard opcode == .text || opcode == .binary else { return }
        let type = Self.engineIOType(of: message, kind: script.kind)
        switch record.from {
        case .client where Self.isConversation(type):
            script.outgoing.append(ReplayScript.Outgoing(message: message, offset: offset))
        case .server where Self.isConversation(type):
            script.expected.append(ReplayScript.Expected(message: message, offset: offset, transport: record.transport))
        case .server where type == .open && script.openPacket == nil:
            script.openPacket = ReplayScript.Expected(message: message, offset: offset, transport: record.transport)
        case .client, .server, .proxy:
            return
        }
    }

    /// The Engine.IO packet type of a Socket.io session's message; nil for plain WebSocket
    /// messages and for what does not decode.
    private static func engineIOType(of message: ReplayMessage, kind: ReplayScript.Kind) -> EngineIOPacketType? {
        guard case .socketIO(let version, _, _) = kind else { return nil }
        switch message.opcode {
        case .text: return (try? EngineIOPacket.decode(webSocketText: message.payload))?.type
        default: return (try? EngineIOPacket.decode(webSocketBinary: message.payload, version: version))?.type
        }
    }

    /// Whether a message is part of the conversation, not Engine.IO plumbing. What does not
    /// decode is sent and expected as it is: the server's answer to it is part of the test.
    private static func isConversation(_ type: EngineIOPacketType?) -> Bool {
        type.map { $0 == .message || $0 == .close } ?? true
    }

    private mutating func skip(_ session: String, _ reason: String) {
        guard seenSkipped.insert(session).inserted else { return }
        skipped.append(ReplayPlan.Skipped(session: session, reason: reason))
    }
}
