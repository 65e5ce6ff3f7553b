#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Testing

@testable import SocketTapeWire

@Suite struct BlockingHandoffTests {
    /// Flags set by a producer thread, read by the test.
    final class Progress: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var values: [Int] = []
        func note(_ value: Int) {
            lock.wait()
            values.append(value)
            lock.signal()
        }
        var noted: [Int] {
            lock.wait()
            defer { lock.signal() }
            return values
        }
    }

    /// Waits (at most 5 s) until `condition` holds.
    func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 where !condition() { usleep(10_000) }
        return condition()
    }

    @Test func itemsArriveInOrderAndTheProducerWaitsWhileTheQueueIsFull() throws {
        let handoff = BlockingHandoff<Int>(capacity: 2)
        let progress = Progress()
        let finished = DispatchSemaphore(value: 0)
        #expect(DetachedThread.start {
            for value in 1...5 {
                _ = handoff.put(value)
                progress.note(value)
            }
            finished.signal()
        } == nil)
        // Two fit; the third waits for room.
        #expect(eventually { progress.noted == [1, 2] })
        usleep(50_000)
        #expect(progress.noted == [1, 2])
        #expect((1...5).map { _ in handoff.take() } == [1, 2, 3, 4, 5])
        finished.wait()
        #expect(progress.noted == [1, 2, 3, 4, 5])
    }

    @Test func cancellingReleasesAWaitingProducerAndLaterPutsFail() throws {
        let handoff = BlockingHandoff<Int>(capacity: 1)
        let progress = Progress()
        let finished = DispatchSemaphore(value: 0)
        #expect(DetachedThread.start {
            progress.note(handoff.put(1) ? 1 : -1)
            progress.note(handoff.put(2) ? 2 : -2)  // waits: the queue is full
            progress.note(handoff.put(3) ? 3 : -3)
            finished.signal()
        } == nil)
        #expect(eventually { progress.noted == [1] })
        handoff.cancel()
        finished.wait()
        #expect(progress.noted == [1, -2, -3])
    }

    @Test func aCancelledHandoffWithItemsLeftIsReleasedCleanly() {
        var handoff: BlockingHandoff<[Int]>? = BlockingHandoff(capacity: 3)
        #expect(handoff?.put([1]) == true)
        #expect(handoff?.put([2]) == true)
        handoff?.cancel()
        #expect(handoff?.put([3]) == false)
        handoff = nil  // must not trap, as a libdispatch semaphore below its initial count would
    }
}
