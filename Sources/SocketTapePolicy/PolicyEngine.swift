import NIOCore
import SocketTapeWire

/// What the engine checks: one message, as the proxy has it.
///
/// For Socket.io sessions pass the Engine.IO *message* packets (those that carry Socket.IO
/// packets), each with ``socketIO`` (when it decoded to a complete packet) or ``socketIOError``
/// (when it did not); Engine.IO pings, pongs and upgrades are not for policy. For plain WebSocket
/// sessions pass every text and binary message with both nil.
public struct PolicyMessage: Sendable {
    /// Who sent it.
    public var from: PolicyDirection
    /// A text message (else binary).
    public var isText: Bool
    /// The message payload (unmasked, reassembled, inflated).
    public var payload: ByteBuffer
    /// The decoded Socket.IO packet, for Socket.io sessions (complete EVENT, ACK, …).
    public var socketIO: SocketIOPacket?
    /// Why the message of a Socket.io session did not decode, when it did not.
    public var socketIOError: String?

    public init(
        from: PolicyDirection,
        isText: Bool,
        payload: ByteBuffer,
        socketIO: SocketIOPacket? = nil,
        socketIOError: String? = nil
    ) {
        self.from = from
        self.isText = isText
        self.payload = payload
        self.socketIO = socketIO
        self.socketIOError = socketIOError
    }

    /// Whether the message belongs to a Socket.io session.
    var isSocketIO: Bool { socketIO != nil || socketIOError != nil }
}

/// The engine's answer for one message.
public enum PolicyVerdict: Sendable, Equatable {
    /// No rule acts: forward it.
    case pass
    /// `rule` acts: `detail` says why, such as `messages: 20/s exceeded` or
    /// `/text: longer than 500 characters`.
    case act(PolicyAction, rule: String, detail: String)
}

/// Checks messages against a ``PolicyConfiguration``: pure apart from the limiter's buckets; the
/// clock is passed in. Safe to share between event loops.
public final class PolicyEngine: Sendable {
    public let configuration: PolicyConfiguration
    private let limiter: any RateLimiter
    private let limits: [CompiledLimit]
    private let newConnectionRate: Rate?

    /// A limit rule with its bucket names made once, so a check builds no strings.
    private struct CompiledLimit: Sendable {
        var rule: LimitRule
        var messagesBucket: String
        var bytesBucket: String
        var messagesDetail: String
        var bytesDetail: String
    }

    public init(configuration: PolicyConfiguration, limiter: any RateLimiter = LocalRateLimiter()) {
        self.configuration = configuration
        self.limiter = limiter
        limits = configuration.limits.map { rule in
            CompiledLimit(
                rule: rule,
                messagesBucket: "\(rule.name)#messages",
                bytesBucket: "\(rule.name)#bytes",
                messagesDetail: "messages: \(rule.messages?.description ?? "") exceeded",
                bytesDetail: "bytes: \(rule.bytes?.description ?? "") exceeded"
            )
        }
        newConnectionRate = configuration.connections.newConnectionRate
    }

    /// Checks one message from the client or server of a connection whose identity key is
    /// `identity`; `now` is a monotonic time in nanoseconds.
    ///
    /// Validation first — size, UTF-8, JSON, Socket.io shape, event allow-list, event schema —
    /// then the limits in file order. The first rule that acts decides, except that a `log` rule
    /// does not stop the checks: the verdict is the first rule acting with drop, delay or close,
    /// else the first `log` rule. A message over a limit takes no tokens.
    ///
    /// Event schemas (`validation.events.NAME.schema`) apply to Socket.IO EVENT and BINARY_EVENT
    /// packets named NAME, in any namespace: to the single argument when the event has exactly
    /// one (`["message", {"text": "hi"}]` → pointers like `/text`), else to the array of
    /// arguments (`["move", 3, 4]` → `/0`, `/1`). `validation.message-schema` applies to each text
    /// message of a plain WebSocket session, parsed as JSON.
    public func check(_ message: PolicyMessage, identity: String, now: UInt64) -> PolicyVerdict {
        var verdict = VerdictSelection()
        let validation = configuration.validation
        if validation.checksAnything {
            validate(message, rules: validation, into: &verdict)
            if let decided = verdict.decided { return decided }
        }
        for limit in limits where limit.rule.from == message.from && applies(limit.rule, to: message) {
            if let rate = limit.rule.messages,
                !limiter.take(key: identity, rule: limit.messagesBucket, amount: 1, rate: rate, now: now)
            {
                verdict.consider(limit.rule.action, rule: limit.rule.name, detail: limit.messagesDetail)
            } else if let rate = limit.rule.bytes,
                !limiter.take(key: identity, rule: limit.bytesBucket, amount: Double(message.payload.readableBytes), rate: rate, now: now)
            {
                verdict.consider(limit.rule.action, rule: limit.rule.name, detail: limit.bytesDetail)
            }
            if let decided = verdict.decided { return decided }
        }
        return verdict.result
    }

    /// Whether a new connection of `identity` fits `connections.per-minute` (taking its token).
    public func admitsNewConnection(identity: String, now: UInt64) -> Bool {
        guard let newConnectionRate else { return true }
        return limiter.take(key: identity, rule: "connections.per-minute", amount: 1, rate: newConnectionRate, now: now)
    }

    /// Whether a handshake's `Origin` (nil when it has none) is allowed by `origins`.
    public func allowsOrigin(_ origin: String?) -> Bool {
        guard let origins = configuration.origins else { return true }
        guard let origin else { return false }
        return origins.contains(origin)
    }

    private func applies(_ rule: LimitRule, to message: PolicyMessage) -> Bool {
        guard rule.event != nil || rule.namespace != nil else { return true }
        guard let packet = message.socketIO else { return false }
        if let namespace = rule.namespace, packet.namespace != namespace { return false }
        if let event = rule.event, packet.event != event { return false }
        return true
    }

    private func validate(_ message: PolicyMessage, rules: ValidationRules, into verdict: inout VerdictSelection) {
        let action = rules.action
        if let limit = rules.maxMessageBytes, message.payload.readableBytes > limit {
            verdict.consider(action, rule: "validation.max-message-bytes", detail: "\(message.payload.readableBytes) bytes, more than \(limit)")
            if verdict.decided != nil { return }
        }
        if rules.utf8, !UTF8Validator.isValid(message.payload) {
            verdict.consider(action, rule: "validation.utf8", detail: "not valid UTF-8")
            if verdict.decided != nil { return }
        }
        if rules.socketIOShape {
            if let error = message.socketIOError {
                verdict.consider(action, rule: "validation.socket-io-shape", detail: error)
            } else if let packet = message.socketIO, packet.type.isEvent, packet.event == nil {
                verdict.consider(action, rule: "validation.socket-io-shape", detail: "the event name is not a string")
            }
            if verdict.decided != nil { return }
        }
        // Plain WebSocket text: JSON and the message schema.
        if !message.isSocketIO, message.isText, rules.json || rules.messageSchema != nil {
            let document: JSONValue
            do throws(JSONSyntaxError) {
                document = try JSONValue(parsing: message.payload)
            } catch {
                let rule = rules.json ? "validation.json" : "validation.message-schema"
                verdict.consider(rules.json ? action : rules.messageSchema!.action, rule: rule, detail: error.description)
                return
            }
            if let rule = rules.messageSchema, let schema = rule.schema, let violation = schema.validate(document).first {
                verdict.consider(rule.action, rule: "validation.message-schema", detail: violation.description)
            }
            return
        }
        guard let packet = message.socketIO, packet.type.isEvent, let name = packet.event else { return }
        if let allowed = rules.allowedEvents {
            if let names = allowed[packet.namespace] {
                if !names.contains(name) {
                    verdict.consider(action, rule: "validation.allowed-events", detail: "event '\(name)' is not allowed in \(packet.namespace)")
                }
            } else {
                verdict.consider(action, rule: "validation.allowed-events", detail: "namespace \(packet.namespace) allows no events")
            }
            if verdict.decided != nil { return }
        }
        if let rule = rules.events[name], let schema = rule.schema, case .array(let elements)? = packet.data {
            // elements[0] is the name; one argument is validated as itself (no array copy).
            let violations = schema.validate(elements.count == 2 ? elements[1] : .array(Array(elements.dropFirst())))
            if let violation = violations.first {
                verdict.consider(rule.action, rule: "validation.events.\(name)", detail: violation.description)
            }
        }
    }
}

/// The first acting rule, where `log` rules only count when nothing stronger acts.
private struct VerdictSelection {
    private(set) var decided: PolicyVerdict?
    private var logged: PolicyVerdict?

    mutating func consider(_ action: PolicyAction, rule: String, detail: String) {
        let verdict = PolicyVerdict.act(action, rule: rule, detail: detail)
        if action == .log {
            if logged == nil { logged = verdict }
        } else if decided == nil {
            decided = verdict
        }
    }

    var result: PolicyVerdict { decided ?? logged ?? .pass }
}
