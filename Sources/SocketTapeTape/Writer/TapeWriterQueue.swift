/// The state shared between ``TapeWriter/append(contentsOf:)`` and the writer thread, kept under one lock.
///
/// Once a record is dropped for lack of room, every later record is dropped too until the writer
/// thread takes the queue, so the gap record it then writes sits exactly where the hole is.
struct TapeWriterQueue {
    /// What the writer thread takes at each flush.
    struct Batch {
        var records: [TapeRecord]
        /// A gap record accounting for records dropped after `records`.
        var gap: TapeRecord?
        /// Close was requested: this is the last batch.
        var closing: Bool
    }

    /// The queue size at which an early flush is requested.
    static let earlyFlushBytes = 1024 * 1024

    let maxQueuedBytes: Int
    private var records: [TapeRecord] = []
    private var queuedBytes = 0
    private var pendingGap: TapeRecord?
    private var earlyFlushRequested = false
    private(set) var closeRequested = false
    /// A write error stopped the writer: everything appended from now on is dropped.
    private(set) var failed = false
    var statistics = TapeWriterStatistics()
    /// The batch the writer thread took and has not finished writing.
    private var inFlight: (records: Int, bytes: Int, oldest: RecordTime?) = (0, 0, nil)

    /// ``statistics`` with the unwritten records (queued and in flight) filled in.
    var currentStatistics: TapeWriterStatistics {
        var current = statistics
        current.unwrittenRecords = UInt64(inFlight.records + records.count)
        current.unwrittenBytes = UInt64(inFlight.bytes + queuedBytes)
        current.oldestUnwritten = inFlight.oldest ?? records.first?.time
        return current
    }

    init(maxQueuedBytes: Int) {
        self.maxQueuedBytes = min(maxQueuedBytes, TapeFormat.maxRecordLength)
    }

    /// Queues `record`, or drops and counts it; returns whether the writer thread should flush early.
    mutating func enqueue(_ record: TapeRecord) -> Bool {
        let size = record.estimatedEncodedSize
        if failed || closeRequested {
            countDropped(size)
            return false
        }
        // The batch being written still holds its records: it counts against the limit too.
        if pendingGap != nil || inFlight.bytes + queuedBytes + size > maxQueuedBytes {
            countDropped(size)
            return noteGap(size, time: record.time)
        }
        return accept(record, size: size)
    }

    private mutating func accept(_ record: TapeRecord, size: Int) -> Bool {
        records.append(record)
        queuedBytes += size
        return requestEarlyFlush(queuedBytes >= Self.earlyFlushBytes)
    }

    /// Hands the queued records (and the gap after them) to the writer thread.
    mutating func take() -> Batch {
        var batch = Batch(records: [], gap: pendingGap, closing: closeRequested)
        swap(&batch.records, &records)
        inFlight = (batch.records.count, queuedBytes, batch.records.first?.time)
        // The next batch is likely as large: one allocation instead of regrowing (and copying) it.
        records.reserveCapacity(batch.records.count)
        queuedBytes = 0
        pendingGap = nil
        earlyFlushRequested = false
        return batch
    }

    /// The batch taken last is written (or given up).
    mutating func finishBatch() {
        inFlight = (0, 0, nil)
    }

    /// Records that close was requested; returns `false` if it already was.
    mutating func requestClose() -> Bool {
        defer { closeRequested = true }
        return !closeRequested
    }

    /// Stops the writer after `error`: the queue is dropped and counted, later appends are dropped.
    mutating func fail(_ error: TapeIOError) {
        failed = true
        statistics.lastError = error
        for record in take().records { countDropped(record.estimatedEncodedSize) }
    }

    mutating func countDropped(_ bytes: Int) {
        statistics.recordsDropped += 1
        statistics.bytesDropped += UInt64(bytes)
    }

    private mutating func noteGap(_ bytes: Int, time: RecordTime) -> Bool {
        let reason = "tape writer queue full (maxQueuedBytes \(maxQueuedBytes))"
        var gap = pendingGap ?? TapeRecord(session: "", time: time, body: .gap(Gap(records: 0, bytes: 0, reason: reason)))
        if case .gap(var counts) = gap.body {
            counts.records += 1
            counts.bytes += UInt64(bytes)
            gap.body = .gap(counts)
        }
        pendingGap = gap
        return requestEarlyFlush(true)
    }

    private mutating func requestEarlyFlush(_ wanted: Bool) -> Bool {
        guard wanted, !earlyFlushRequested else { return false }
        earlyFlushRequested = true
        return true
    }
}
