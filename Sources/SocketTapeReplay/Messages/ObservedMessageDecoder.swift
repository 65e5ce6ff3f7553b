import NIOCore
import SocketTapeTape
import SocketTapeWire

/// Turns the server messages of one session into ``ObservedMessage`` values, in order.
///
/// A plain WebSocket session (no Engine.IO version): text that parses as a JSON object or array
/// becomes ``MessageContent/json(_:)``, other text ``MessageContent/text(_:)``, binary
/// ``MessageContent/binary(_:)``. An Engine.IO session: every message goes through
/// ``SocketIOSessionDecoder`` (the one decoder of the project), so a binary packet's header and
/// attachments become one message when its last attachment arrives.
public struct ObservedMessageDecoder: Sendable {
    private var socketIO: SocketIOSessionDecoder?
    /// The header message of a binary packet waiting for attachments.
    private var pendingHeader: ObservedMessage?

    /// A decoder for a session speaking Engine.IO `engineIO`, or plain WebSocket when nil.
    public init(engineIO: EngineIOVersion?) {
        socketIO = engineIO.map(SocketIOSessionDecoder.init(engineIO:))
    }

    /// Decodes the next message the server sent.
    ///
    /// - Parameters:
    ///   - opcode: the WebSocket opcode (a long-polling packet: text, or binary for a binary packet).
    ///   - payload: the message, or one packet of a long-polling body in the form the tape keeps.
    ///   - transport: how it travelled.
    ///   - time: nanoseconds from the tape's or the replay's start, for reports.
    /// - Returns: the message; nil for WebSocket close, ping and pong, for the header of a binary
    ///   Socket.IO packet and for each of its attachments but the last (which returns the whole
    ///   packet as the header message: its payload, transport and time).
    public mutating func decode(opcode: WebSocketOpcode, payload: ByteBuffer, transport: Transport, time: UInt64? = nil) -> ObservedMessage? {
        let kind: ObservedMessage.Opcode
        switch opcode {
        case .text: kind = .text
        case .binary: kind = .binary
        case .continuation, .close, .ping, .pong: return nil
        }
        var message = ObservedMessage(opcode: kind, payload: payload, transport: transport, content: Self.raw(kind, payload), time: time)
        let engineIOTransport: EngineIOTransport = transport == .polling ? .polling : .websocket
        guard let outcome = socketIO?.decode(from: .server, transport: engineIOTransport, opcode: opcode, payload: payload) else {
            if kind == .text, let json = try? JSONValue(parsing: payload), json.arrayValue != nil || json.objectValue != nil {
                message.content = .json(json)
            }
            return message
        }
        guard let packet = outcome.engineIO else {
            message.decodeError = outcome.error
            return message
        }
        switch outcome.socketIO {
        case .none:
            guard packet.type != .message else {
                message.decodeError = outcome.error
                return message
            }
            message.content = .engineIO(packet)
        case .packet(let complete):
            pendingHeader = nil
            message.content = .socketIO(complete)
        case .awaitingAttachments:
            pendingHeader = message
            return nil
        case .attachment(_, _, let completed):
            guard let completed else { return nil }
            message = pendingHeader ?? message
            message.content = .socketIO(completed)
            pendingHeader = nil
        }
        return message
    }

    /// The content of a message that is not decoded further.
    private static func raw(_ opcode: ObservedMessage.Opcode, _ payload: ByteBuffer) -> MessageContent {
        switch opcode {
        case .text: .text(String(buffer: payload))
        case .binary: .binary(payload)
        }
    }
}
