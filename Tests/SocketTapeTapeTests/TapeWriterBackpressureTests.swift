import Dispatch
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

    /// A queue of 8 records' room: behind from 4 unwritten, caught up at 2 or fewer.
    private func queue(_ backpressure: TapeWriterBackpressure = .slowProducers) -> TapeWriterQueue {
        TapeWriterQueue(maxQueuedBytes: size * 8, backpressure: backpressure)
    }

    @Test func theQueueFallsBehindOnceHalfOfItWaits() {
        var queue = queue()
        for record in records.prefix(3) { _ = queue.enqueue(record) }
        #expect(!queue.isBehind)
        #expect(!queue.waitUntilCaughtUp {})
        _ = queue.enqueue(records[3])
        #expect(queue.isBehind)
        #expect(queue.statistics.timesBehind == 1)
        #expect(queue.statistics.recordsDropped == 0)
    }

    @Test func producersAreCalledBackWhenAFinishedBatchLeavesAQuarterOrLess() {
        var queue = queue()
        for record in records.prefix(4) { _ = queue.enqueue(record) }
        let calls = NIOLockedValueBox(0)
        #expect(queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 1 } })
        #expect(queue.waitUntilCaughtUp { calls.withLockedValue { $0 += 10 } })

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
        #expect(!queue.waitUntilCaughtUp {})
        #expect(queue.finishBatch().isEmpty)  // called back once only
        #expect(queue.statistics.nanosecondsBehind > 0)
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
            #expect(queue.waitUntilCaughtUp {})
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
        #expect(!queue.isBehind && !queue.waitUntilCaughtUp {})
        #expect(queue.statistics.recordsDropped == 4)
        #expect(queue.statistics.timesBehind == 0)
    }

    /// The writer thread calls waiting producers back; with an hour between flushes and a queue
    /// below the early-flush size, only the close can make it write.
    @Test func closingTheWriterCallsWaitingProducersBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try TapeWriter(path: directory.file("behind.tape"), options: TapeWriterOptions(
            flushInterval: .seconds(3600), maxQueuedBytes: size * 8
        ))
        #expect(!writer.isBehind)
        writer.append(contentsOf: Array(records.prefix(4)))
        #expect(writer.isBehind)
        let calledBack = DispatchSemaphore(value: 0)
        #expect(writer.whenCaughtUp { calledBack.signal() })
        #expect(calledBack.wait(timeout: .now()) == .timedOut)
        try writer.close()
        #expect(calledBack.wait(timeout: .now() + 10) == .success)
        #expect(!writer.isBehind)
        #expect(writer.statistics.recordsWritten == 4 && writer.statistics.recordsDropped == 0)
        #expect(writer.statistics.timesBehind == 1)
    }
}
