import NIOCore
import SocketTapeWire

/// What a message says, in the form it is compared in.
public enum MessageContent: Sendable, Equatable {
    /// Text of a plain WebSocket session that is not a JSON object or array, or text of a
    /// Socket.io session that did not decode. Compared exactly.
    case text(String)
    /// Text of a plain WebSocket session that is a JSON object or array. Compared structurally.
    /// (A bare JSON scalar such as `42` stays ``text(_:)``: exact text is the better test there.)
    case json(JSONValue)
    /// Binary data of a plain WebSocket session, or of a Socket.io session that did not decode.
    /// Compared byte for byte.
    case binary(ByteBuffer)
    /// An Engine.IO packet other than `message`: `open` (its handshake is compared), `close`, and
    /// the control packets `ping`, `pong`, `noop` and `upgrade`, which are not compared
    /// (``ObservedMessage/isCompared``).
    case engineIO(EngineIOPacket)
    /// A complete Socket.IO packet; a binary packet's attachments are in place as
    /// `{"$bytes":"<base64>"}`.
    case socketIO(SocketIOPacket)

    /// The kind's name in reports: `text`, `JSON`, `binary`, `Engine.IO` or `Socket.IO`.
    public var kindName: String {
        switch self {
        case .text: "text"
        case .json: "JSON"
        case .binary: "binary"
        case .engineIO: "Engine.IO"
        case .socketIO: "Socket.IO"
        }
    }
}
