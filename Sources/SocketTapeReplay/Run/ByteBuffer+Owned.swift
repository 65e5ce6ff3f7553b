import NIOCore

extension ByteBuffer {
    /// A copy in a buffer of its own: a message kept for the report must not keep the whole
    /// socket read buffer it was sliced from alive.
    func owned() -> ByteBuffer {
        var copy = ByteBufferAllocator().buffer(capacity: readableBytes)
        copy.writeImmutableBuffer(self)
        return copy
    }
}
