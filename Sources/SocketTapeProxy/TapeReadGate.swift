import NIOCore
import SocketTapeTape

/// A connection whose reads a ``TapeReadGate`` holds.
protocol TapeReadWaiter: AnyObject {
    /// The tape writer has caught up (called on the connection's event loop): call
    /// ``TapeReadGate/caughtUp()``, then issue the reads that were held.
    func tapeCaughtUp()
}

/// Holds one connection's reads while the tape writer is behind, and lets them go once it has
/// caught up: DESIGN's backpressure, carried on to the disk.
///
/// A connection asks before each read (``mustWait(_:on:)``); while the writer keeps up, asking
/// costs one atomic load. Once it is behind, the connection stops reading, TCP slows its peers,
/// and the writer calls the connection back on its event loop when it has caught up.
struct TapeReadGate {
    private let writer: TapeWriter?
    /// A call back from the writer is due: reads wait for it.
    private(set) var isWaiting = false

    init(writer: TapeWriter?) {
        self.writer = writer
    }

    /// Whether reading must wait for the tape; when it must, `waiter` is called back on
    /// `eventLoop` once the writer has caught up.
    mutating func mustWait(_ waiter: any TapeReadWaiter, on eventLoop: any EventLoop) -> Bool {
        guard !isWaiting else { return true }
        guard let writer, writer.isBehind else { return false }
        let onLoop = NIOLoopBound(waiter, eventLoop: eventLoop)
        isWaiting = writer.whenCaughtUp { eventLoop.execute { onLoop.value.tapeCaughtUp() } }
        return isWaiting
    }

    /// The writer has caught up: reads may go on.
    mutating func caughtUp() {
        isWaiting = false
    }
}
