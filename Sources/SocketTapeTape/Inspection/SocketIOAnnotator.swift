import NIOCore
import SocketTapeWire

/// Decodes the Engine.IO and Socket.IO packets of a tape's Socket.io sessions while the tape is
/// read, the way a dissector does: the tape keeps messages raw, and `export`, `inspect` and the
/// summary call this for every record, in tape order.
///
/// A session is decoded when its `open` record names Engine.IO version 3 or 4
/// (``SessionOpen/engineIOVersion``). Its ``SocketIOSessionDecoder`` is created at the `open`
/// record and dropped at the `close` record, so memory grows with the sessions open at one point
/// of the tape (plus a binary packet waiting for its attachments per side), not with the tape.
/// Every text or binary message of such a session, from the client or the server, must pass
/// through ``annotate(_:)`` in order: a binary packet's attachments arrive in later messages.
///
/// A tape without Engine.IO sessions costs one emptiness check per message.
public struct SocketIOAnnotator: Sendable {
    private var sessions: [String: SessionState] = [:]

    public init() {}

    /// How many Engine.IO sessions are open at this point of the tape (opened, not yet closed).
    public var openSessions: Int { sessions.count }

    /// Takes the next record of the tape.
    ///
    /// - Returns: what a text or binary message from the client or the server of an Engine.IO
    ///   session decoded to, or of the proxy's own packets to its client (drop notices); nil for
    ///   every other record (other kinds, other sessions, WebSocket close, ping and pong messages).
    public mutating func annotate(_ record: TapeRecord) -> SocketIOAnnotation? {
        switch record.body {
        case .message(let message):
            // Plain WebSocket tapes take this branch only.
            guard !sessions.isEmpty else { return nil }
            return sessions[record.session]?.annotate(message)
        case .open(let open):
            if let version = open.engineIOVersion.flatMap(EngineIOVersion.init(rawValue:)) {
                sessions[record.session] = SessionState(version: version)
            } else if !sessions.isEmpty {
                // A session id used again by a session that is not Engine.IO.
                sessions[record.session] = nil
            }
            return nil
        case .close:
            if !sessions.isEmpty { sessions[record.session] = nil }
            return nil
        case .frame, .http, .policy, .upgrade, .gap:
            return nil
        }
    }
}

/// The decoder of one Engine.IO session, and the binary packet header each side still fills.
private struct SessionState: Sendable {
    let version: EngineIOVersion
    var decoder: SocketIOSessionDecoder
    /// BINARY_EVENT / BINARY_ACK headers waiting for attachments: client, server.
    var waiting: [SocketIOPacket?] = [nil, nil]

    init(version: EngineIOVersion) {
        self.version = version
        self.decoder = SocketIOSessionDecoder(engineIO: version)
    }

    mutating func annotate(_ message: MessageRecord) -> SocketIOAnnotation? {
        guard let opcode = WebSocketOpcode(rawValue: message.opcode), opcode == .text || opcode == .binary else { return nil }
        let transport: EngineIOTransport = message.transport == .polling ? .polling : .websocket
        let sender: WebSocketRole
        switch message.from {
        case .client: sender = .client
        case .server: sender = .server
        case .proxy:
            // The proxy's packets are whole text packets sent between the server's: decoded on
            // their own, they leave the server's attachment state alone.
            var own = SocketIOSessionDecoder(engineIO: version)
            let outcome = own.decode(from: .server, transport: transport, opcode: opcode, payload: message.payload)
            return SocketIOAnnotation(engineIO: outcome.engineIO, socketIO: outcome.socketIO)
        }
        let outcome = decoder.decode(from: sender, transport: transport, opcode: opcode, payload: message.payload)
        var annotation = SocketIOAnnotation(engineIO: outcome.engineIO, socketIO: outcome.socketIO)
        // The decoder fails the Engine.IO layer without a packet, the Socket.IO layer with one.
        if outcome.engineIO == nil {
            annotation.engineIOError = outcome.error
        } else if let error = outcome.error {
            annotation.socketIOError = error + (Self.isCustomParserText(outcome.engineIO) ? Self.customParserHint : "")
        }
        let side = sender == .client ? 0 : 1
        switch outcome.socketIO {
        case .awaitingAttachments(let header, _):
            waiting[side] = header
        case .attachment(_, _, let completed):
            annotation.attachmentHeader = waiting[side]
            if completed != nil { waiting[side] = nil }
        case .packet:
            waiting[side] = nil
        case .none:
            // An attachment that failed (nobody waiting, or a bad placeholder) leaves nothing pending.
            if case .binary? = outcome.engineIO?.data, outcome.engineIO?.type == .message { waiting[side] = nil }
        }
        if let packet = outcome.engineIO, packet.type == .open, sender == .server {
            do {
                annotation.handshake = try EngineIOHandshake(packet)
            } catch {
                annotation.engineIOError = error.description
            }
        }
        return annotation
    }

    static let customParserHint = "; not the default Socket.IO parser's format (a custom parser, such as socket.io-json-parser?)"

    /// Whether `packet` is a `message` whose text does not start with a Socket.IO packet type
    /// digit: what a custom parser's text looks like to the default one (socket.io-msgpack-parser
    /// sends binary messages; the binary reassembler names it).
    private static func isCustomParserText(_ packet: EngineIOPacket?) -> Bool {
        guard let packet, packet.type == .message, let first = packet.text?.utf8.first else { return false }
        return !(UInt8(ascii: "0")...UInt8(ascii: "6")).contains(first)
    }
}

/// What one message of an Engine.IO session decoded to (``SocketIOAnnotator``): the JSON Lines
/// `eio`, `sio`, `eio_error` and `sio_error` fields, and what `inspect` filters and counts.
public struct SocketIOAnnotation: Sendable, Equatable {
    /// The Engine.IO packet; nil when the message is not one (then ``engineIOError`` says why).
    public var engineIO: EngineIOPacket?
    /// The Socket.IO side of an Engine.IO `message` packet.
    public var socketIO: SocketIOContent
    /// The session's parameters, when this is the server's `open` packet and its data is a
    /// valid handshake.
    public var handshake: EngineIOHandshake?
    /// For a binary attachment: the BINARY_EVENT or BINARY_ACK header it belongs to, as it
    /// arrived (placeholders in its data).
    public var attachmentHeader: SocketIOPacket?
    /// Why the message is not an Engine.IO packet, or why an `open` packet's data is not a
    /// handshake (`Engine.IO: …`, with the byte offset in the message).
    public var engineIOError: String?
    /// Why the Engine.IO `message` packet's data is not a Socket.IO packet, or why a binary
    /// packet waiting for attachments was abandoned (`Socket.IO: …`).
    public var socketIOError: String?

    public init(
        engineIO: EngineIOPacket? = nil, socketIO: SocketIOContent = .none, handshake: EngineIOHandshake? = nil,
        attachmentHeader: SocketIOPacket? = nil, engineIOError: String? = nil, socketIOError: String? = nil
    ) {
        self.engineIO = engineIO
        self.socketIO = socketIO
        self.handshake = handshake
        self.attachmentHeader = attachmentHeader
        self.engineIOError = engineIOError
        self.socketIOError = socketIOError
    }

    /// The Socket.IO packet this message carries or belongs to: a complete packet; a header
    /// waiting for attachments; for an attachment, the packet it completes (the last one) or
    /// the header it belongs to. Filters and counts use this; nil for messages without one.
    public var packet: SocketIOPacket? {
        switch socketIO {
        case .none: nil
        case .packet(let packet): packet
        case .awaitingAttachments(let header, _): header
        case .attachment(_, _, let completed): completed ?? attachmentHeader
        }
    }

    /// Whether any layer failed to decode.
    public var hasError: Bool { engineIOError != nil || socketIOError != nil }
}

extension SocketIOPacket {
    /// The event name of an EVENT or BINARY_EVENT as text: the name, or a numeric name's digits
    /// (the reference parser allows numbers); nil for other types.
    public var eventName: String? {
        guard type.isEvent, case .array(let elements)? = data, let first = elements.first else { return nil }
        if case .string(let name) = first { return name }
        return first.jsonText
    }

    /// The namespace without the query a v4 CONNECT may carry (`/admin?token=1` → `/admin`).
    public var namespaceName: Substring {
        namespace.prefix { $0 != "?" }
    }

    /// Whether this is an acknowledgement (ACK, BINARY_ACK) or an event that asks for one (has an id).
    public var isAckRelated: Bool {
        type.isAck || (type.isEvent && id != nil)
    }
}
