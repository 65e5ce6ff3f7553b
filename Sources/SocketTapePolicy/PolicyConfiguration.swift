/// The rate limits, validation rules and handshake checks of one proxy, as `--config FILE`
/// describes them (README, "Configuration (`--config`)").
///
/// Build one with ``load(path:)`` or ``parse(yaml:file:)``; both report every problem of the file
/// at once, each with its line and column. Both are `async` because jwt-kit builds the keys of
/// `authentication` in an actor (``JWTKeys``).
public struct PolicyConfiguration: Sendable, Equatable {
    /// Whose messages share a bucket: the key of a client (default: its remote address).
    public var identity: IdentitySource
    /// The rate limits, in file order.
    public var limits: [LimitRule]
    /// What every message must look like (default: nothing checked).
    public var validation: ValidationRules
    /// The `Origin` values a WebSocket handshake may carry; nil accepts any (and none).
    public var origins: [String]?
    /// Connection limits per identity.
    public var connections: ConnectionLimits
    /// When set, a Socket.io client whose event the proxy drops gets this event in the same
    /// namespace, with `{"event": …, "rule": …, "detail": …}` (nil: dropped silently).
    public var dropNoticeEvent: String?
    /// The `replay:` section, for `sockettape replay --config` (the proxy does not use it).
    public var replay = ReplayRuleTexts()
    /// JWT verification at handshakes and Socket.IO CONNECTs (nil: none).
    public var authentication: JWTAuthentication?

    public init(
        identity: IdentitySource = .remoteAddress,
        limits: [LimitRule] = [],
        validation: ValidationRules = ValidationRules(),
        origins: [String]? = nil,
        connections: ConnectionLimits = ConnectionLimits(),
        dropNoticeEvent: String? = nil,
        authentication: JWTAuthentication? = nil
    ) {
        self.identity = identity
        self.limits = limits
        self.validation = validation
        self.origins = origins
        self.connections = connections
        self.dropNoticeEvent = dropNoticeEvent
        self.authentication = authentication
    }

    /// No rules at all: every message passes.
    public static let none = PolicyConfiguration()

    /// Whether the configuration checks anything per message (a proxy may skip the engine when not).
    public var checksMessages: Bool {
        !limits.isEmpty || validation.checksAnything
    }
}

/// Who sends the messages a rule watches.
public enum PolicyDirection: String, Sendable, CaseIterable {
    case client, server
}

/// What happens to a message (or connection) a rule catches.
public enum PolicyAction: String, Sendable, CaseIterable {
    /// The message is not forwarded.
    case drop
    /// The message is forwarded later: the proxy stops reading from its sender for a while.
    case delay
    /// The sender is closed: WebSocket 1008 (policy violation), or HTTP 429 for a handshake.
    case close
    /// The message is forwarded; only a `policy` record says it broke the rule.
    case log
}

/// A token bucket: `perSecond` tokens flow in, at most `burst` are kept.
///
/// Written `N/s`, `N/min` or `N/h` in the configuration (byte rates may use `K`, `M`, `G`:
/// `64K/s`). Unless `burst:` says otherwise the bucket holds N tokens — as many as the rate
/// grants in one of its units — so `1200/min` allows 1200 messages at once, then 20 a second.
public struct Rate: Sendable, Equatable, CustomStringConvertible {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// `20/s`, `1/min`, `5/h` or `0.5/s`: per second, unless a whole number per minute or hour says it better.
    public var description: String {
        for (scale, unit) in [(1.0, "s"), (60.0, "min"), (3600.0, "h")] {
            let count = perSecond * scale
            if count >= 1, abs(count - count.rounded()) < 1e-9 * count { return "\(formatNumber(count.rounded()))/\(unit)" }
        }
        return "\(formatNumber(perSecond))/s"
    }
}

/// Formats `value` without a trailing `.0` for whole numbers.
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// One rate limit: buckets per identity (and per rule) for the messages one side sends.
public struct LimitRule: Sendable, Equatable {
    /// `limits[0]`, or the rule's `name:`.
    public var name: String
    /// Whose messages are counted (default: the client's).
    public var from: PolicyDirection
    /// Messages per time.
    public var messages: Rate?
    /// Payload bytes per time.
    public var bytes: Rate?
    /// Only Socket.io EVENT packets of this name count (nil: every message).
    public var event: String?
    /// Only Socket.io packets of this namespace count (nil: any).
    public var namespace: String?
    /// What happens to a message over the limit (default: drop).
    public var action: PolicyAction

    public init(
        name: String,
        from: PolicyDirection = .client,
        messages: Rate? = nil,
        bytes: Rate? = nil,
        event: String? = nil,
        namespace: String? = nil,
        action: PolicyAction = .drop
    ) {
        self.name = name
        self.from = from
        self.messages = messages
        self.bytes = bytes
        self.event = event
        self.namespace = namespace
        self.action = action
    }
}

/// Connection limits per identity, enforced at the handshake (HTTP 429).
public struct ConnectionLimits: Sendable, Equatable {
    /// At most this many open connections per identity (nil: unlimited).
    public var maxConcurrent: Int?
    /// At most this many new connections per identity per minute (nil: unlimited).
    public var perMinute: Int?

    public init(maxConcurrent: Int? = nil, perMinute: Int? = nil) {
        self.maxConcurrent = maxConcurrent
        self.perMinute = perMinute
    }

    /// The bucket of ``perMinute``: N a minute, N at once.
    public var newConnectionRate: Rate? {
        perMinute.map { Rate(perSecond: Double($0) / 60, burst: Double($0)) }
    }
}

/// What every message must look like. The global checks share ``action``; event rules have their own.
public struct ValidationRules: Sendable, Equatable {
    /// Largest payload in bytes (nil: any size up to the proxy's `--max-message-size`).
    public var maxMessageBytes: Int?
    /// Every data message, binary ones too, must be valid UTF-8.
    public var utf8: Bool
    /// Text messages of plain WebSocket sessions must be one well-formed JSON document.
    public var json: Bool
    /// Messages of Socket.io sessions must decode as Socket.IO packets; events need a string name.
    public var socketIOShape: Bool
    /// Namespace → the event names allowed there; an event of a namespace not listed is refused.
    /// nil: any event.
    public var allowedEvents: [String: Set<String>]?
    /// Per Socket.io event name (in every namespace): the payload's schema and the action.
    public var events: [String: EventRule]
    /// The schema every text message of a plain WebSocket session must match (JSON).
    public var messageSchema: EventRule?
    /// The action of the global checks (size, UTF-8, JSON, shape, allow-list); default drop.
    public var action: PolicyAction

    public init(
        maxMessageBytes: Int? = nil,
        utf8: Bool = false,
        json: Bool = false,
        socketIOShape: Bool = false,
        allowedEvents: [String: Set<String>]? = nil,
        events: [String: EventRule] = [:],
        messageSchema: EventRule? = nil,
        action: PolicyAction = .drop
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.utf8 = utf8
        self.json = json
        self.socketIOShape = socketIOShape
        self.allowedEvents = allowedEvents
        self.events = events
        self.messageSchema = messageSchema
        self.action = action
    }

    /// Whether any check is configured.
    public var checksAnything: Bool {
        maxMessageBytes != nil || utf8 || json || socketIOShape || allowedEvents != nil || !events.isEmpty
            || messageSchema != nil
    }
}

/// The rule for one Socket.io event name (or for plain WebSocket messages, `message-schema`).
public struct EventRule: Sendable, Equatable {
    /// The payload's schema; nil checks nothing (an allow-list entry is separate).
    public var schema: JSONSchema?
    /// What happens to a payload that does not match (default: the validation's action).
    public var action: PolicyAction

    public init(schema: JSONSchema? = nil, action: PolicyAction = .drop) {
        self.schema = schema
        self.action = action
    }
}
