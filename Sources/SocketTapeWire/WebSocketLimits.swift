/// Size limits a ``WebSocketStreamParser`` enforces; exceeding either fails with close code 1009.
///
/// Memory bound per parser: one partial frame (at most `maxFrameSize` plus a 14-byte header)
/// plus one message buffer. Message buffers grow in powers of two, so while inflating a
/// message that turns out too big the buffer can reach the next power of two above
/// `maxMessageSize` before 1009 is raised.
public struct WebSocketLimits: Sendable, Hashable {
    /// The largest payload one frame may declare, in bytes. Checked as soon as the frame header
    /// is parsed, before any of the payload is buffered. Default 16 MiB.
    public var maxFrameSize: UInt64

    /// The largest payload one message may have, in bytes: the reassembled payload of all its
    /// frames, and for permessage-deflate messages also the inflated payload (so it caps
    /// decompression bombs). Default 64 MiB.
    public var maxMessageSize: UInt64

    /// Creates limits; the defaults are 16 MiB per frame and 64 MiB per message.
    public init(maxFrameSize: UInt64 = 16 << 20, maxMessageSize: UInt64 = 64 << 20) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
    }
}
