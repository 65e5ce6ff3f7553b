import NIOCore
import NIOHTTP1
import SocketTapePolicy
import SocketTapeTape
import SocketTapeWire

/// A client's long-polling POST of a Socket.io session, held until the policy has decided on
/// every packet in it.
///
/// The body is collected whole (at most the proxy's message size limit), then each Engine.IO
/// packet goes through the session's ``SessionPolicy`` as its WebSocket form would. Packets that
/// pass (or are only logged) go on; dropped ones are cut out and the body re-encoded; a body
/// with nothing dropped goes on byte for byte. A `delay` stops at its packet until the policy
/// lets it through, and the client waits for its POST's answer meanwhile: Engine.IO clients send
/// one POST at a time, so a delayed client is held without the proxy buffering more.
struct PollingBodyGate {
    /// The request head for the upstream, sent once the body is decided.
    var upstreamHead: HTTPRequestHead
    var body = ByteBuffer()
    /// What the policy decided, for the tape (after the exchange's packets).
    private(set) var decisions: [PolicyDecision] = []
    /// Packets of the proxy's own for the client: drop notices (`drop-notice-event`) and the
    /// CONNECT_ERRORs of CONNECTs `authentication.jwt` refused.
    private(set) var notices: [EngineIOPacket] = []
    private var packets: [EngineIOPacket]?
    private var next = 0
    private var kept: [EngineIOPacket] = []
    private var dropped = false
    /// A delay of `packets[next]` is on the tape already (retries do not repeat it).
    private var delayRecorded = false

    init(upstreamHead: HTTPRequestHead) {
        self.upstreamHead = upstreamHead
    }

    /// What becomes of the POST.
    enum Outcome: Equatable {
        /// Send this body upstream (nil: the client's body as it came).
        case forward(ByteBuffer?)
        /// Every packet was dropped: the proxy answers `ok` itself.
        case answerOK
        /// A packet waits for tokens: ask again later.
        case delay
        /// A rule closes the session.
        case close(rule: String, detail: String)
    }

    /// Checks the packets not yet decided, from where a delay stopped.
    mutating func advance(policy: inout SessionPolicy, version: EngineIOVersion, binary: Bool, now: NIODeadline) -> Outcome {
        if packets == nil {
            guard let decoded = try? EngineIOPayload.decode(body, version: version, binary: binary) else {
                // Not a payload the proxy can read: the server answers it (HTTP 400).
                return .forward(nil)
            }
            packets = decoded
        }
        guard let packets else { return .forward(nil) }
        while next < packets.count {
            let packet = packets[next]
            guard let message = try? packet.webSocketMessage(version: version) else {
                keep(packet)
                continue
            }
            let checked = policy.check(message, from: .client, now: now)
            guard case .act(let action, let rule, let detail) = checked.verdict else {
                keep(packet)
                continue
            }
            if action != .delay || !delayRecorded {
                decisions.append(PolicyDecision(
                    from: .client, rule: rule, action: checked.recordedAction(action), detail: detail, identity: policy.identity
                ))
            }
            switch action {
            case .log:
                keep(packet)
            case .drop:
                dropped = true
                if let notice = checked.reply(from: policy, side: .client) {
                    notices.append(notice.engineIOPacket)
                }
                next += 1
            case .delay:
                delayRecorded = true
                return .delay
            case .close:
                return .close(rule: rule, detail: detail)
            }
        }
        guard dropped else { return .forward(nil) }
        guard !kept.isEmpty else { return .answerOK }
        do throws(EngineIOError) {
            return .forward(try EngineIOPayload.encode(kept, version: version, binary: binary))
        } catch {
            return .close(rule: "polling", detail: "cannot re-encode the POST without its dropped packets: \(error)")
        }
    }

    /// The packets for the client not yet handed out.
    mutating func takeNotices() -> [EngineIOPacket] {
        defer { notices = [] }
        return notices
    }

    private mutating func keep(_ packet: EngineIOPacket) {
        kept.append(packet)
        next += 1
        delayRecorded = false
    }
}
