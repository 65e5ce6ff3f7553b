import Atomics
import Dispatch
import NIOConcurrencyHelpers

/// Appends records to a tape file from any thread, without ever blocking on I/O.
///
/// For event loops and other producers that must never wait. A command that makes a tape as fast
/// as it can and may block (an import) uses ``TapeFileWriter`` instead.
///
/// ``append(contentsOf:)`` takes a lock and queues the records; a background thread encodes them
/// and writes them every ``TapeWriterOptions/flushInterval`` (sooner once 1 MiB is queued), one
/// `write(2)` per 4 MiB at most. A crash therefore loses at most one interval, and the tape stays
/// readable up to its last whole record. Nothing is lost silently: records that do not fit the
/// queue are dropped, counted in ``statistics`` and accounted for by a gap record; after a write
/// error (`ENOSPC`, `EIO`) the writer stops, reports it in ``lastError`` and counts everything
/// after it as dropped.
///
/// Producers that can wait keep the queue from filling up: while ``isBehind``, they stop reading
/// their input and register with ``whenCaughtUp(_:)`` (``TapeWriterBackpressure/slowProducers``).
public final class TapeWriter: Sendable {
    /// The clock every record of this tape should take its time from.
    public let clock: TapeClock
    /// The first segment's path.
    public let path: String
    private let queue: NIOLockedValueBox<TapeWriterQueue>
    private let behindFlag: ManagedAtomic<Bool>
    private let thread: TapeWriterThread

    /// Creates (or truncates) the tape at `path` and writes its header.
    ///
    /// - Throws: ``TapeIOError`` naming the path when the file cannot be created or written.
    /// - Parameter clock: the tape's clock; pass one with the original start when importing.
    public init(path: String, options: TapeWriterOptions = .init(), clock: TapeClock = TapeClock()) throws {
        let queue = NIOLockedValueBox(TapeWriterQueue(maxQueuedBytes: options.maxQueuedBytes, backpressure: options.backpressure))
        self.clock = clock
        self.path = path
        self.queue = queue
        self.behindFlag = queue.withLockedValue { $0.behindFlag }
        self.thread = TapeWriterThread(
            path: path,
            startWallMicros: clock.startWallMicros,
            options: options,
            queue: queue,
            wake: DispatchSemaphore(value: 0),
            started: DispatchSemaphore(value: 0),
            finished: DispatchSemaphore(value: 0)
        )
        try thread.start()
    }

    deinit {
        // A writer dropped without close() still gets sealed; its thread ends on its own.
        if queue.withLockedValue({ $0.requestClose() }) { thread.wake.signal() }
    }

    /// Queues one record.
    public func append(_ record: TapeRecord) {
        if queue.withLockedValue({ $0.enqueue(record) }) { thread.wake.signal() }
    }

    /// Queues records in order (one lock for the whole batch).
    public func append(contentsOf records: [TapeRecord]) {
        let wake = queue.withLockedValue { queue in
            records.reduce(false) { queue.enqueue($1) || $0 }
        }
        if wake { thread.wake.signal() }
    }

    /// Whether the writer is behind the producers: one that can wait should stop reading its input
    /// and register with ``whenCaughtUp(_:)``. One atomic load, no lock; it may be a moment late.
    public var isBehind: Bool {
        behindFlag.load(ordering: .relaxed)
    }

    /// A producer's registration with ``whenCaughtUp(_:)``.
    public struct Wait: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    /// Calls `resume` once the writer has caught up, if it is behind now; returns the registration,
    /// or `nil` (and keeps nothing) if it is not behind.
    ///
    /// `resume` runs on the writer's thread: it should only hand the work to the producer's own
    /// thread (`EventLoop.execute`). It also runs when the writer stops, after a write error or a
    /// close. A producer that ends before then cancels its registration (``cancel(_:)``).
    public func whenCaughtUp(_ resume: @escaping @Sendable () -> Void) -> Wait? {
        queue.withLockedValue { $0.waitUntilCaughtUp(resume) }.map(Wait.init)
    }

    /// Forgets a registration: its `resume` will not be called (unless it is being called already).
    public func cancel(_ wait: Wait) {
        queue.withLockedValue { $0.cancelWait(wait.id) }
    }

    /// Writes what is queued, seals the tape, syncs and closes it. Later calls do nothing.
    ///
    /// Records appended after `close()` are dropped and counted.
    /// - Throws: ``TapeIOError``: the error that stopped the writer, if any did.
    public func close() throws {
        let first = queue.withLockedValue { $0.requestClose() }
        thread.wake.signal()
        thread.finished.wait()
        thread.finished.signal()  // let concurrent and later calls through
        if first, let error = lastError { throw error }
    }

    /// Counts of records and bytes written and dropped so far, and of those not yet written.
    public var statistics: TapeWriterStatistics {
        queue.withLockedValue { $0.currentStatistics }
    }

    /// The write error that stopped the writer, if one did.
    public var lastError: TapeIOError? {
        statistics.lastError
    }
}
