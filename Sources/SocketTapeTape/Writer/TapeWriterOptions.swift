import NIOCore

/// When the tape writer asks the OS to put written bytes on the device.
public enum FsyncPolicy: Sendable, Equatable {
    /// Never during recording (the seal still syncs): every flush is `write(2)` to the OS, which
    /// survives the process being killed, not a power loss.
    case never
    /// `fsync(2)` after every flush: survives power loss, at the cost of a disk round trip per flush.
    case onFlush
}

/// What a ``TapeWriter`` does when records come faster than the disk takes them.
public enum TapeWriterBackpressure: String, Sendable, CaseIterable {
    /// Once 4 MiB wait (or half of ``TapeWriterOptions/maxQueuedBytes``, if less), the writer is
    /// *behind*: it asks producers that can wait (the proxy's connections) to stop reading until
    /// it has caught up (``TapeWriter/whenCaughtUp(_:)``), so live traffic slows to the disk's
    /// pace and nothing is dropped. Only what was read before they stopped can still overflow the
    /// queue.
    case slowProducers = "slow"
    /// Producers are never asked to wait: traffic keeps its pace, and records that do not fit
    /// the queue are dropped and accounted for by a gap record.
    case dropRecords = "drop"
}

/// How a ``TapeWriter`` batches, syncs, rotates and bounds its memory.
public struct TapeWriterOptions: Sendable {
    /// How often queued records are written (one `write(2)` per 4 MiB); at most this much is lost on a crash.
    public var flushInterval: TimeAmount
    public var fsync: FsyncPolicy
    /// Rotate after the record that makes a segment reach this size: the segment gets a `segment-next`
    /// record and its seal, and the tape continues in `PATH.1`, `PATH.2`, …. `nil`: never rotate.
    public var maxSegmentBytes: Int64?
    /// The most (estimated) encoded bytes waiting in memory; records beyond it are dropped and
    /// counted, and a gap record says so on the tape. At most 1 GiB is used.
    public var maxQueuedBytes: Int
    /// Whether producers are asked to slow down before the queue is full (nothing is asked of
    /// producers that never wait, such as a live capture).
    public var backpressure: TapeWriterBackpressure

    /// The `maxQueuedBytes` worth asking for: at least two early flushes' worth (the writer thread
    /// wakes once 1 MiB waits, so a smaller queue drops records between wake-ups), at most what a
    /// writer uses (1 GiB).
    public static let queueLimits = (2 * TapeWriterQueue.earlyFlushBytes)...TapeFormat.maxRecordLength

    public init(
        flushInterval: TimeAmount = .milliseconds(100),
        fsync: FsyncPolicy = .never,
        maxSegmentBytes: Int64? = nil,
        maxQueuedBytes: Int = 64 * 1024 * 1024,
        backpressure: TapeWriterBackpressure = .dropRecords
    ) {
        self.flushInterval = flushInterval
        self.fsync = fsync
        self.maxSegmentBytes = maxSegmentBytes
        self.maxQueuedBytes = maxQueuedBytes
        self.backpressure = backpressure
    }
}
