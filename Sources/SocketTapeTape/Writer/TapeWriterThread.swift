import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import SocketTapeWire

/// The writer's background thread: group commit of queued records, one `write(2)` per 4 MiB.
struct TapeWriterThread: Sendable {
    let path: String
    let startWallMicros: Int64
    let options: TapeWriterOptions
    let queue: NIOLockedValueBox<TapeWriterQueue>
    /// Signalled to flush early (queue past 1 MiB or full) and to close.
    let wake: DispatchSemaphore
    /// Signalled once the file exists with its header, or failed to.
    let started: DispatchSemaphore
    /// Signalled when the thread has sealed (or abandoned) the tape and ends.
    let finished: DispatchSemaphore

    /// Starts the thread; returns once the first segment exists.
    func start() throws(TapeIOError) {
        if let failure = DetachedThread.start({ run() }) {
            throw TapeIOError(operation: "start a thread", path: path, errno: failure)
        }
        started.wait()
        if let error = queue.withLockedValue({ $0.statistics.lastError }) { throw error }
    }

    private func run() {
        let writer: TapeSegmentWriter
        do {
            writer = try TapeSegmentWriter(path: path, startWallMicros: startWallMicros, options: options)
        } catch {
            queue.withLockedValue { $0.fail(error) }
            started.signal()
            finished.signal()
            return
        }
        publish(writer)
        started.signal()
        let interval = DispatchTimeInterval.nanoseconds(Int(options.flushInterval.nanoseconds))
        var failed = false
        while true {
            _ = wake.wait(timeout: .now() + interval)
            let batch = queue.withLockedValue { $0.take() }
            if !failed, !batch.records.isEmpty || batch.gap != nil {
                failed = !write(batch, with: writer)
            }
            let caughtUp = queue.withLockedValue { $0.finishBatch() }
            for resume in caughtUp { resume() }
            if batch.closing {
                if !failed { finish(writer) }
                finished.signal()
                return
            }
        }
    }

    /// Writes one batch; on a write error, stops the writer and counts the unwritten records as dropped.
    private func write(_ batch: TapeWriterQueue.Batch, with writer: TapeSegmentWriter) -> Bool {
        let before = writer.recordsWritten
        let dropped = queue.withLockedValue { $0.statistics.recordsDropped }
        do {
            try writer.write(batch.records, gap: batch.gap, droppedRecords: dropped)
            publish(writer)
            return true
        } catch {
            let unwritten = batch.records.dropFirst(Int(writer.recordsWritten - before))
            writer.abandon()
            publish(writer)
            queue.withLockedValue { queue in
                queue.fail(error)
                for record in unwritten { queue.countDropped(record.estimatedEncodedSize) }
            }
            return false
        }
    }

    private func finish(_ writer: TapeSegmentWriter) {
        do {
            try writer.seal(droppedRecords: queue.withLockedValue { $0.statistics.recordsDropped })
        } catch {
            writer.abandon()
            queue.withLockedValue { $0.fail(error) }
        }
        publish(writer)
    }

    private func publish(_ writer: TapeSegmentWriter) {
        queue.withLockedValue { queue in
            queue.statistics.recordsWritten = writer.recordsWritten
            queue.statistics.bytesWritten = writer.bytesWritten
            queue.statistics.segments = writer.segments
        }
    }
}
