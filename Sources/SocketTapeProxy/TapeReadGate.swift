import NIOCore
import SocketTapeTape

/// A connection whose reads a ``TapeReadGate`` holds.
protocol TapeReadWaiter: AnyObject {
    /// The gate that holds this connection's reads.
    var tapeGate: TapeReadGate { get set }
    /// Issues the reads held while the tape writer was behind (called on the connection's event
    /// loop once it has caught up; the gate is open again by then).
    func resumeReadsHeldForTape()
}

/// Holds one connection's reads while the tape writer is behind, and lets them go once it has
/// caught up: DESIGN's backpressure, carried on to the disk.
///
/// A connection asks before each read (``mustWait(_:on:)``); while the writer keeps up, asking
/// costs one atomic load. Once it is behind, the connection stops reading, TCP slows its peers,
/// and the writer calls the connection back on its event loop when it has caught up. A
/// connection that ends first cancels (``cancel()``), so the writer holds nothing of it.
struct TapeReadGate {
    private let writer: TapeWriter?
    /// The registration with the writer while reads wait for it.
    private var wait: TapeWriter.Wait?

    init(writer: TapeWriter?) {
        self.writer = writer
    }

    /// Whether reads wait for the writer to call back.
    var isWaiting: Bool { wait != nil }

    /// Whether reading must wait for the tape; when it must, `waiter` is called back on
    /// `eventLoop` once the writer has caught up.
    mutating func mustWait(_ waiter: any TapeReadWaiter, on eventLoop: any EventLoop) -> Bool {
        guard wait == nil else { return true }
        guard let writer, writer.isBehind else { return false }
        let onLoop = NIOLoopBound(waiter, eventLoop: eventLoop)
        wait = writer.whenCaughtUp {
            eventLoop.execute {
                let waiter = onLoop.value
                waiter.tapeGate.wait = nil
                waiter.resumeReadsHeldForTape()
            }
        }
        return wait != nil
    }

    /// The connection ends: the writer forgets it.
    mutating func cancel() {
        if let wait { writer?.cancel(wait) }
        wait = nil
    }
}
