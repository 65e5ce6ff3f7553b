/// Writes records to a tape file as fast as the calling thread makes them, blocking rather than
/// dropping: for commands that make a tape as fast as they can and must lose nothing, such as
/// `import`.
///
/// Event loops use ``TapeWriter``, which never blocks and drops (and counts) what does not fit its
/// queue. Here records are encoded on the caller's thread, while their bytes are still in its
/// cache, into 1 MiB chunks that a thread of its own writes (``TapeChunkWriter``); the caller
/// waits only when two chunks are still being written. A write error (`ENOSPC`, `EIO`) is thrown
/// by the next call, and by every call after it. Records never change threads: a second thread
/// that encoded them measured slower (docs/benchmarks.md, "Capture import").
///
/// ```swift
/// let tape = try TapeFileWriter(path: "out.tape", clock: TapeClock(startWallMicros: start))
/// try tape.append(contentsOf: records)
/// try tape.close()
/// ```
public final class TapeFileWriter {
    /// The clock every record of this tape should take its time from.
    public let clock: TapeClock
    /// The first segment's path.
    public let path: String
    private let segments: TapeSegmentWriter
    private var closed = false
    /// The write error that stopped the writer; every later call throws it again.
    private var failure: TapeIOError?

    /// Encoded bytes held before each `write(2)`.
    private static let flushBytes = 1 << 20

    /// Creates (or truncates) the tape at `path` and writes its header.
    ///
    /// - Parameter options: only ``TapeWriterOptions/maxSegmentBytes`` (rotation) and
    ///   ``TapeWriterOptions/fsync`` (`.onFlush`: after every write) apply.
    /// - Throws: ``TapeIOError`` naming the path when the file cannot be created or written.
    public init(path: String, options: TapeWriterOptions = .init(), clock: TapeClock = TapeClock()) throws(TapeIOError) {
        self.clock = clock
        self.path = path
        self.segments = try TapeSegmentWriter(
            path: path, startWallMicros: clock.startWallMicros, options: options, writesInBackground: true
        )
    }

    /// Encodes `records` after the ones before them.
    ///
    /// - Throws: ``TapeIOError`` when writing failed (this call's records or earlier ones); the
    ///   tape is then left unsealed, and later calls throw the same error.
    /// - Precondition: the writer is not closed.
    public func append(contentsOf records: [TapeRecord]) throws(TapeIOError) {
        if let failure { throw failure }
        precondition(!closed, "append to a closed TapeFileWriter")
        do {
            try segments.write(records, flushingEvery: Self.flushBytes)
        } catch {
            fail(error)
            throw error
        }
    }

    /// Writes what is buffered, seals the tape, syncs and closes it. Later calls do nothing,
    /// or throw the error that stopped the writer.
    public func close() throws(TapeIOError) {
        if let failure { throw failure }
        guard !closed else { return }
        closed = true
        do {
            try segments.seal(droppedRecords: 0)
        } catch {
            fail(error)
            throw error
        }
    }

    private func fail(_ error: TapeIOError) {
        failure = error
        closed = true
        segments.abandon()
    }
}
