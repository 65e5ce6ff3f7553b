/// What a ``TapeWriter`` has done so far.
public struct TapeWriterStatistics: Sendable, Equatable {
    /// Appended records now in the file (gap, `segment-next` and seal records not counted).
    public var recordsWritten: UInt64 = 0
    /// Bytes written to the tape's files, headers and all.
    public var bytesWritten: UInt64 = 0
    /// Appended records that are not on the tape: dropped on a full queue, after a write error or after close.
    public var recordsDropped: UInt64 = 0
    /// Their estimated encoded size.
    public var bytesDropped: UInt64 = 0
    /// Segment files started (1 without rotation).
    public var segments: UInt32 = 0
    /// Records appended but not yet in the file: queued, or in the batch being written.
    public var unwrittenRecords: UInt64 = 0
    /// Their estimated encoded size.
    public var unwrittenBytes: UInt64 = 0
    /// When the oldest of them was taken (nil when all are written): how far the file lags behind.
    public var oldestUnwritten: RecordTime?
    /// Times the writer fell behind and asked producers that can wait to stop
    /// (``TapeWriterBackpressure/slowProducers``).
    public var timesBehind: UInt64 = 0
    /// How long it was behind in all, up to its last catching up.
    public var nanosecondsBehind: UInt64 = 0
    /// The write error that stopped the writer, if one did.
    public var lastError: TapeIOError?

    public init() {}
}
