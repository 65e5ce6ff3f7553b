import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One message the server sent to the client, decoded for comparison: as recorded on the tape
/// (expected) or as the target sent it during a replay (actual).
///
/// Build these with ``ObservedMessageDecoder`` (one per session, fed every server message in
/// order) or, for the recorded side, ``ReplayScript/recordedMessages``. Both sides go through the same
/// decoder, so they compare like with like.
public struct ObservedMessage: Sendable, Equatable {
    /// The WebSocket data opcode the message travelled with (a long-polling packet counts as text,
    /// or binary for a binary packet, as on the tape).
    public enum Opcode: Sendable, Equatable {
        case text
        case binary
    }

    public var opcode: Opcode
    /// The payload as it crossed. For a Socket.IO binary packet: the header message's text (with
    /// placeholders); the attachments are in ``content``.
    public var payload: ByteBuffer
    /// How the message travelled. Not compared: a replay may take another transport.
    public var transport: Transport
    /// What the message says.
    public var content: MessageContent
    /// Why the message did not decode as its session's protocol (Engine.IO or Socket.IO), when
    /// it did not; ``content`` is then its raw text or bytes.
    public var decodeError: String?
    /// Nanoseconds from the tape's start (a recorded message) or from the replay's start (a
    /// received one), when known. Shown in reports; never compared.
    public var time: UInt64?

    public init(
        opcode: Opcode, payload: ByteBuffer, transport: Transport = .websocket, content: MessageContent, decodeError: String? = nil,
        time: UInt64? = nil
    ) {
        self.opcode = opcode
        self.payload = payload
        self.transport = transport
        self.content = content
        self.decodeError = decodeError
        self.time = time
    }

    /// Whether the message takes part in comparisons. Engine.IO `ping`, `pong`, `noop` and
    /// `upgrade` packets do not: the replaying client answers the target's pings itself and
    /// performs its own upgrade, so they say nothing about the application.
    public var isCompared: Bool {
        guard case .engineIO(let packet) = content else { return true }
        switch packet.type {
        case .ping, .pong, .noop, .upgrade: return false
        case .open, .close, .message: return true
        }
    }
}
