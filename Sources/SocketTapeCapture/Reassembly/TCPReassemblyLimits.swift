/// The bounds that keep TCP reassembly's memory finite on any capture.
///
/// Out-of-order bytes are buffered per direction until the hole before them fills; when a
/// direction's buffer goes over either per-direction limit, the oldest hole is declared missing
/// (a `.gap`) and the buffered bytes after it are emitted. The byte limit counts payload bytes;
/// the packet storage those bytes are views into may be larger. At most `maxConnections`
/// connections are tracked at once: opening one more ends the connection idle the longest with
/// `.unfinished` (its later segments, if any, open a new connection without handshake). As many
/// ended connections are remembered for `timeWaitMicros`.
public struct TCPReassemblyLimits: Sendable, Hashable {
    /// Out-of-order payload bytes one direction may buffer. Default 4 MiB.
    public var maxBufferedBytesPerDirection: Int
    /// Out-of-order segments (and truncated ranges) one direction may buffer. Default 4096.
    public var maxBufferedSegmentsPerDirection: Int
    /// Connections tracked at once; at least 1. Default 16,384.
    public var maxConnections: Int
    /// How long after a connection ended by FIN or RST segments without SYN on its 4-tuple are
    /// taken as its late retransmissions and ignored (TCP's TIME_WAIT). Default 60 s, Linux's.
    public var timeWaitMicros: Int64

    public init(
        maxBufferedBytesPerDirection: Int = 4 * 1024 * 1024,
        maxBufferedSegmentsPerDirection: Int = 4096,
        maxConnections: Int = 16_384,
        timeWaitMicros: Int64 = 60_000_000
    ) {
        precondition(maxBufferedBytesPerDirection >= 0 && maxBufferedSegmentsPerDirection >= 0, "buffer limits are not negative")
        precondition(maxConnections >= 1, "reassembly tracks at least one connection")
        self.maxBufferedBytesPerDirection = maxBufferedBytesPerDirection
        self.maxBufferedSegmentsPerDirection = maxBufferedSegmentsPerDirection
        self.maxConnections = maxConnections
        self.timeWaitMicros = timeWaitMicros
    }
}
