import NIOCore

/// One frame produced by ``WebSocketStreamParser/nextFrame()``.
public struct ParsedFrame: Sendable {
    /// The frame's header.
    public var header: WebSocketFrameHeader

    /// Exactly the bytes of this frame as received — header and still-masked payload — to be
    /// forwarded untouched. A zero-copy slice of the parser's input.
    public var wire: ByteBuffer

    /// The message this frame completed, if any. A control frame always completes one; a data
    /// frame does when its FIN bit is set.
    public var message: WebSocketMessage?

    public init(header: WebSocketFrameHeader, wire: ByteBuffer, message: WebSocketMessage?) {
        self.header = header
        self.wire = wire
        self.message = message
    }
}
