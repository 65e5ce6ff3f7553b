import NIOCore

/// How a session's messages travel.
public enum Transport: UInt8, Sendable, Equatable, Hashable {
    case websocket = 0
    /// Engine.IO HTTP long-polling (possibly upgraded to WebSocket later in the session).
    case polling = 1

    public var name: String {
        switch self {
        case .websocket: "websocket"
        case .polling: "polling"
        }
    }

    public init?(name: String) {
        switch name {
        case "websocket": self = .websocket
        case "polling": self = .polling
        default: return nil
        }
    }
}

/// An HTTP request as the client sent it (after redaction).
public struct HTTPRequestRecord: Sendable, Equatable {
    public var method: String
    /// The request target: path and query, as sent.
    public var target: String
    public var headers: [HeaderField]
    /// The body, when the record carries one (``HTTPExchange``); empty otherwise.
    public var body: ByteBuffer

    public init(method: String, target: String, headers: [HeaderField], body: ByteBuffer = ByteBuffer()) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response as the upstream (or the proxy, for errors it answers itself) sent it.
public struct HTTPResponseRecord: Sendable, Equatable {
    public var status: Int
    public var headers: [HeaderField]
    public var body: ByteBuffer

    public init(status: Int, headers: [HeaderField], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A client connection and its handshake.
public struct SessionOpen: Sendable, Equatable {
    /// The client's address as `host:port` (`[v6]:port` for IPv6).
    public var client: String
    public var transport: Transport
    /// The upstream the proxy connected to, as a URL (`ws://host:port`).
    public var upstream: String
    public var request: HTTPRequestRecord
    /// The upstream's answer; `nil` when none came (unreachable upstream, timeout).
    public var response: HTTPResponseRecord?
    /// The Engine.IO protocol revision (3 or 4) when the session speaks Socket.io; `nil` for plain WebSocket and HTTP.
    public var engineIOVersion: Int?

    public init(
        client: String, transport: Transport, upstream: String, request: HTTPRequestRecord, response: HTTPResponseRecord?,
        engineIOVersion: Int? = nil
    ) {
        self.client = client
        self.transport = transport
        self.upstream = upstream
        self.request = request
        self.response = response
        self.engineIOVersion = engineIOVersion
    }
}

/// A session moving to another transport: an Engine.IO long-polling session upgrading to WebSocket.
///
/// The session keeps its id; records after this one travel over `transport`.
public struct TransportUpgrade: Sendable, Equatable {
    public var transport: Transport
    /// The upgrade request, as the client sent it (redacted).
    public var request: HTTPRequestRecord
    /// The upstream's answer; `nil` when none came.
    public var response: HTTPResponseRecord?

    public init(transport: Transport, request: HTTPRequestRecord, response: HTTPResponseRecord?) {
        self.transport = transport
        self.request = request
        self.response = response
    }
}

/// The header of one WebSocket frame as it crossed.
public struct FrameInfo: Sendable, Equatable {
    public var from: Peer
    /// The opcode nibble (0–15).
    public var opcode: UInt8
    public var fin: Bool
    /// RSV1..RSV3 as bits 2..0 (RSV1 = 0b100).
    public var rsv: UInt8
    /// The masking key, when the frame was masked.
    public var maskingKey: UInt32?
    public var payloadLength: UInt64

    public init(from: Peer, opcode: UInt8, fin: Bool, rsv: UInt8, maskingKey: UInt32?, payloadLength: UInt64) {
        self.from = from
        self.opcode = opcode
        self.fin = fin
        self.rsv = rsv
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }

    public var masked: Bool { maskingKey != nil }
}

/// A complete WebSocket message (data or control), as the application sees it.
public struct MessageRecord: Sendable, Equatable {
    public var from: Peer
    /// The opcode of the message's first frame (1 text, 2 binary, 8 close, 9 ping, 10 pong).
    public var opcode: UInt8
    /// The payload after unmasking, reassembly and inflation.
    public var payload: ByteBuffer
    /// How many frames carried it.
    public var frames: UInt32
    /// Whether it was sent compressed (permessage-deflate, RSV1 on its first frame).
    public var compressed: Bool
    /// How it travelled: in a WebSocket frame, or as one Engine.IO packet of a long-polling HTTP body
    /// (then `opcode` is text, `frames` 0, and the payload is the packet exactly as in the body).
    public var transport: Transport

    public init(
        from: Peer, opcode: UInt8, payload: ByteBuffer, frames: UInt32, compressed: Bool, transport: Transport = .websocket
    ) {
        self.from = from
        self.opcode = opcode
        self.payload = payload
        self.frames = frames
        self.compressed = compressed
        self.transport = transport
    }
}

/// A non-upgrade HTTP exchange (Engine.IO long-polling, or any request the proxy relayed).
public struct HTTPExchange: Sendable, Equatable {
    public var request: HTTPRequestRecord
    /// `nil` when no response came (upstream failed mid-request).
    public var response: HTTPResponseRecord?

    public init(request: HTTPRequestRecord, response: HTTPResponseRecord?) {
        self.request = request
        self.response = response
    }
}

/// A decision the proxy took about traffic: a protocol violation, a rate limit, a validation failure.
public struct PolicyDecision: Sendable, Equatable {
    /// Whose traffic the decision was about.
    public var from: Peer
    /// The rule that fired, such as `protocol`, `rate-limit`, `max-message-size`.
    public var rule: String
    /// What was done: `drop`, `delay`, `close` or `log`.
    public var action: String
    /// A human-readable explanation.
    public var detail: String
    /// The identity whose budget or traffic the decision was about (rate limits, validation); `nil` when none applies.
    public var identity: String?

    public init(from: Peer, rule: String, action: String, detail: String, identity: String? = nil) {
        self.from = from
        self.rule = rule
        self.action = action
        self.detail = detail
        self.identity = identity
    }
}

/// The end of a session.
public struct SessionClose: Sendable, Equatable {
    /// Who closed first.
    public var by: Peer
    /// The close code, when a close frame carried one.
    public var code: UInt16?
    public var reason: String
    /// The transport error, when the session ended without a clean close.
    public var error: String?

    public init(by: Peer, code: UInt16?, reason: String, error: String?) {
        self.by = by
        self.code = code
        self.reason = reason
        self.error = error
    }
}

/// A counted hole in the tape.
public struct Gap: Sendable, Equatable {
    /// How many records are missing.
    public var records: UInt64
    /// How many encoded bytes they would have taken.
    public var bytes: UInt64
    public var reason: String

    public init(records: UInt64, bytes: UInt64, reason: String) {
        self.records = records
        self.bytes = bytes
        self.reason = reason
    }
}
