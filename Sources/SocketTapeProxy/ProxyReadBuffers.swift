import NIOCore

extension AdaptiveRecvByteBufferAllocator {
    /// Read buffer sizes for both sockets of a proxied connection.
    ///
    /// SwiftNIO keeps each socket's last read buffer for the next read, so the starting size is
    /// memory that every idle connection holds twice (client and upstream side). SwiftNIO's
    /// default starts at 2 KiB; starting at 1 KiB saves 2 KiB per idle connection. A busy socket
    /// loses nothing that matters: the size doubles after every read that fills the buffer, up to
    /// the same 64 KiB.
    static let proxyReads = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 65536)
}
