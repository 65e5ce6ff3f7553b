import NIOCore

/// One complete WebSocket message as the application on the other side will see it.
public struct WebSocketMessage: Sendable, Equatable {
    /// `.text`, `.binary`, `.close`, `.ping` or `.pong` (never `.continuation`).
    public var opcode: WebSocketOpcode

    /// The payload: unmasked, reassembled from all frames, and inflated when ``compressed``.
    public var payload: ByteBuffer

    /// How many frames carried the message (1 for control frames).
    public var frames: Int

    /// Whether the message was sent compressed with permessage-deflate (RSV1 on its first frame).
    public var compressed: Bool

    public init(opcode: WebSocketOpcode, payload: ByteBuffer, frames: Int = 1, compressed: Bool = false) {
        self.opcode = opcode
        self.payload = payload
        self.frames = frames
        self.compressed = compressed
    }
}
