import Atomics
import NIOCore

/// The state shared between ``TapeWriter/append(contentsOf:)`` and the writer thread, kept under one lock.
///
/// Once a record is dropped for lack of room, every later record is dropped too until the writer
/// thread takes the queue, so the gap record it then writes sits exactly where the hole is.
///
/// With ``TapeWriterBackpressure/slowProducers`` the queue is *behind* from the moment
/// ``behindBytes`` are unwritten until a finished batch leaves at most half of that queued (or
/// the writer stops). Producers that wait meanwhile are called back then.
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
    /// Unwritten bytes from which the writer is behind, unless half of ``maxQueuedBytes`` is less.
    static let behindMark = 4 * 1024 * 1024

    let maxQueuedBytes: Int
    /// Unwritten bytes from which the writer is behind; `nil`: it never is (records are dropped instead).
    let behindBytes: Int?
    /// Mirrors ``isBehind`` for readers that take no lock (``TapeWriter/isBehind``).
    let behindFlag = ManagedAtomic<Bool>(false)
    /// When the writer fell behind, while it is.
    private var behindSince: NIODeadline?
    /// Producers that stopped reading until the writer catches up, by registration.
    private var waiters: [UInt64: @Sendable () -> Void] = [:]
    private var lastWaiter: UInt64 = 0
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
        current.nanosecondsBehind += nanosecondsBehindNow
        return current
    }

    /// Whether producers that can wait should (``TapeWriterBackpressure/slowProducers``).
    var isBehind: Bool { behindSince != nil }

    /// How long the writer has been behind, if it is.
    private var nanosecondsBehindNow: UInt64 {
        behindSince.map { UInt64((NIODeadline.now() - $0).nanoseconds) } ?? 0
    }

    init(maxQueuedBytes: Int, backpressure: TapeWriterBackpressure) {
        self.maxQueuedBytes = min(maxQueuedBytes, TapeFormat.maxRecordLength)
        self.behindBytes = backpressure == .slowProducers ? min(Self.behindMark, self.maxQueuedBytes / 2) : nil
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
        if let behindBytes, !isBehind, inFlight.bytes + queuedBytes >= behindBytes {
            fallBehind()
        }
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

    /// The batch taken last is written (or given up); returns the waiting producers to call back
    /// if the writer has caught up (or stopped, or is closing: nobody waits for a writer that ends).
    mutating func finishBatch() -> [@Sendable () -> Void] {
        inFlight = (0, 0, nil)
        guard let behindBytes, isBehind, failed || closeRequested || queuedBytes <= behindBytes / 2 else { return [] }
        return catchUp()
    }

    /// Keeps `resume` for when the writer has caught up and returns its registration; `nil`,
    /// keeping nothing, if the writer is not behind.
    mutating func waitUntilCaughtUp(_ resume: @escaping @Sendable () -> Void) -> UInt64? {
        guard isBehind else { return nil }
        lastWaiter += 1
        waiters[lastWaiter] = resume
        return lastWaiter
    }

    /// Forgets a registration of ``waitUntilCaughtUp(_:)`` (its producer is gone).
    mutating func cancelWait(_ registration: UInt64) {
        waiters[registration] = nil
    }

    private mutating func fallBehind() {
        behindFlag.store(true, ordering: .relaxed)
        behindSince = .now()
        statistics.timesBehind += 1
    }

    private mutating func catchUp() -> [@Sendable () -> Void] {
        behindFlag.store(false, ordering: .relaxed)
        statistics.nanosecondsBehind += nanosecondsBehindNow
        behindSince = nil
        defer { waiters = [:] }
        return Array(waiters.values)
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
