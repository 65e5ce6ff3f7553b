import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import SocketTapeTestSupport

@testable import SocketTapeTape

/// The writer's "behind" state: when producers that can wait are asked to stop, and when they are
/// called back (``TapeWriterBackpressure/slowProducers``).
@Suite struct TapeWriterBackpressureTests {
    private let records = (0..<12).map { Fixtures.message($0) }
    private var size: Int { records[0].estimatedEncodedSize }

    /// A queue of 8 records' room: behind from 4 unwritten (half the queue, less than 4 MiB), caught up at 2 or fewer.
    private func queue(_ backpressure: TapeWriterBackpressure = .slowProducers) -> TapeWriterQueue {
        TapeWriterQueue(maxQueuedBytes: size * 8, backpressure: backpressure)
    }

    @Test func theQueueFallsBehindOnceHalfOfItWaits() {
        var queue = queue()
        for record in records.prefix(3) { _ = queue.enqueue(record) }
        #expect(!queue.isBehind)
        #expect(queue.waitUntilCaughtUp {} == nil)
        _ = queue.enqueue(records[3])
        #expect(queue.isBehind)
        #expect(queue.statistics.timesBehind == 1)
        #expect(queue.statistics.recordsDropped == 0)
    }

    @Test func producersAreCalledBackWhenAFinishedBatchLeavesAQuarterOrLess() {
        var queue = queue()
        for record in records.prefix(4) { _ = queue.enqueue(record) }
        let calls = NIOLockedValueBox(0)
        #expect(queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 1 } } != nil)
        #expect(queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 10 } } != nil)

        // Three more arrive while the four are written: still behind once they are.
        _ = queue.take()
        for record in records[4..<7] { _ = queue.enqueue(record) }
        #expect(queue.finishBatch().isEmpty)
        #expect(queue.isBehind)

        // One arrives while those three are written: one left is a quarter or less.
        _ = queue.take()
        _ = queue.enqueue(records[7])
        for resume in queue.finishBatch() { resume() }
        #expect(calls.withLockedValue { $0 } == 11)
        #expect(!queue.isBehind)
        #expect(queue.waitUntilCaughtUp {} == nil)
        #expect(queue.finishBatch().isEmpty)  // called back once only
        #expect(queue.statistics.nanosecondsBehind > 0)
    }

    @Test func aCancelledRegistrationIsNotCalledBack() {
        var queue = queue()
        for record in records.prefix(4) { _ = queue.enqueue(record) }
        let calls = NIOLockedValueBox(0)
        let gone = queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 1 } }
        #expect(queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 10 } } != nil)
        queue.cancelWait(gone!)
        _ = queue.take()
        for resume in queue.finishBatch() { resume() }
        #expect(calls.withLockedValue { $0 } == 10)
    }

    /// Behind at 4 MiB at most: a large queue bounds bursts, not what waits in the usual case.
    @Test func theMarkIsFourMebibytesOrHalfTheQueue() {
        #expect(TapeWriterQueue(maxQueuedBytes: 64 << 20, backpressure: .slowProducers).behindBytes == 4 << 20)
        #expect(TapeWriterQueue(maxQueuedBytes: 2 << 20, backpressure: .slowProducers).behindBytes == 1 << 20)
        #expect(TapeWriterQueue(maxQueuedBytes: 64 << 20, backpressure: .dropRecords).behindBytes == nil)
    }

    @Test func theBatchBeingWrittenKeepsTheQueueBehind() {
        var queue = queue()
        for record in records.prefix(2) { _ = queue.enqueue(record) }
        _ = queue.take()
        for record in records[2..<4] { _ = queue.enqueue(record) }  // 2 written + 2 queued
        #expect(queue.isBehind)
    }

    @Test func aWriterThatFailsOrClosesLetsEveryoneGo() {
        for ending in ["fail", "close"] {
            var queue = queue()
            for record in records.prefix(6) { _ = queue.enqueue(record) }
            #expect(queue.waitUntilCaughtUp {} != nil)
            _ = queue.take()
            _ = queue.enqueue(records[6])
            _ = queue.enqueue(records[7])
            _ = queue.enqueue(records[8])
            if ending == "fail" {
                queue.fail(TapeIOError(operation: "write", path: "t.tape", errno: 28))
            } else {
                _ = queue.requestClose()
            }
            #expect(queue.finishBatch().count == 1, "\(ending)")
            #expect(!queue.isBehind, "\(ending)")
        }
    }

    @Test func dropModeNeverAsksProducersToWait() {
        var queue = queue(.dropRecords)
        for record in records { _ = queue.enqueue(record) }
        #expect(!queue.isBehind && queue.waitUntilCaughtUp {} == nil)
        #expect(queue.statistics.recordsDropped == 4)
        #expect(queue.statistics.timesBehind == 0)
    }

    /// The writer thread calls waiting producers back; with an hour between flushes and a queue
    /// below the early-flush size, only the close can make it write.
    @Test func closingTheWriterCallsWaitingProducersBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try TapeWriter(path: directory.file("behind.tape"), options: TapeWriterOptions(
            flushInterval: .seconds(3600), maxQueuedBytes: size * 8, backpressure: .slowProducers
        ))
        #expect(!writer.isBehind)
        writer.append(contentsOf: Array(records.prefix(4)))
        #expect(writer.isBehind)
        let calledBack = DispatchSemaphore(value: 0)
        #expect(writer.whenCaughtUp { calledBack.signal() } != nil)
        #expect(calledBack.wait(timeout: .now()) == .timedOut)
        try writer.close()
        #expect(calledBack.wait(timeout: .now() + 10) == .success)
        #expect(!writer.isBehind)
        #expect(writer.statistics.recordsWritten == 4 && writer.statistics.recordsDropped == 0)
        #expect(writer.statistics.timesBehind == 1)
    }

    @Test func timeBehindCountsWhileTheWriterIsStillBehind() throws {
        var queue = queue()
        for record in records.prefix(4) { _ = queue.enqueue(record) }
        usleep(2000)
        #expect(queue.statistics.nanosecondsBehind == 0)
        #expect(queue.currentStatistics.nanosecondsBehind >= 2_000_000)
    }
}
