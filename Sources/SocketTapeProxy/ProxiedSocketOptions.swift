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

extension Channel {
    /// Sets the options of a proxied connection's socket, client or upstream side, that the
    /// bootstraps do not: ``AdaptiveRecvByteBufferAllocator/proxyReads``.
    ///
    /// Called from a channel initializer, on the channel's event loop. Set synchronously rather
    /// than listed on the bootstrap, which applies each option through a chain of futures: that
    /// chain cost a tenth of the proxy's work per WebSocket handshake (docs/benchmarks.md).
    /// `TCP_NODELAY` needs no call of its own: the upstream bootstrap sets it with its own options,
    /// and an accepted socket inherits it from the listening socket (Linux, BSD).
    func setProxiedSocketOptions() throws {
        guard let options = syncOptions else { throw ChannelError.operationUnsupported }
        try options.setOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator.proxyReads)
    }
}
