import NIOCore
import NIOPosix
import SocketTapeTape
import SocketTapeTestSupport
import Testing

@testable import SocketTapeProxy

/// The gate between a connection's reads and a tape writer that has fallen behind, on a real
/// event loop: the writer's thread calls back through it.
@Suite struct TapeReadGateTests {
    final class Connection: TapeReadWaiter {
        var tapeGate: TapeReadGate
        var resumed = 0

        init(writer: TapeWriter?) {
            tapeGate = TapeReadGate(writer: writer)
        }

        func resumeReadsHeldForTape() {
            resumed += 1
        }
    }

    /// A writer behind from 2 KiB unwritten that writes only when closed (an hour between flushes).
    private func writer(in directory: TemporaryDirectory, behind: Bool) throws -> TapeWriter {
        let writer = try TapeWriter(path: directory.file("gate.tape"), options: TapeWriterOptions(
            flushInterval: .seconds(3600), maxQueuedBytes: 4096, backpressure: .slowProducers
        ))
        let record = TapeRecord(session: "S", time: writer.clock.now(), body: .message(MessageRecord(
            from: .client, opcode: 2, payload: ByteBuffer(repeating: 7, count: 1100), frames: 1, compressed: false
        )))
        writer.append(contentsOf: Array(repeating: record, count: behind ? 2 : 1))
        #expect(writer.isBehind == behind)
        return writer
    }

    /// A connection on a real event loop, and its writer, for `test`.
    private func withConnection(
        writerBehind behind: Bool, _ test: (any EventLoop, TapeWriter, NIOLoopBoundBox<Connection>) throws -> Void
    ) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let writer = try writer(in: directory, behind: behind)
        let box = try loop.submit { NIOLoopBoundBox(Connection(writer: writer), eventLoop: loop) }.wait()
        try test(loop, writer, box)
    }

    @Test func readsGoOnWhileTheWriterKeepsUp() throws {
        try withConnection(writerBehind: false) { loop, writer, connection in
            #expect(try loop.submit { !connection.value.tapeGate.mustWait(connection.value, on: loop) }.wait())
            try writer.close()
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        #expect(try loop.submit {
            let withoutTape = Connection(writer: nil)
            return !withoutTape.tapeGate.mustWait(withoutTape, on: loop)
        }.wait())
    }

    @Test func aBehindWriterHoldsReadsUntilItCallsBackOnTheLoop() throws {
        try withConnection(writerBehind: true) { loop, writer, connection in
            #expect(try loop.submit {
                connection.value.tapeGate.mustWait(connection.value, on: loop) && connection.value.tapeGate.mustWait(connection.value, on: loop)
            }.wait())
            #expect(try loop.submit { connection.value.tapeGate.isWaiting && connection.value.resumed == 0 }.wait())
            try writer.close()  // writes, catches up, and calls back before it returns
            #expect(try loop.submit { !connection.value.tapeGate.isWaiting && connection.value.resumed == 1 }.wait())
        }
    }

    @Test func aConnectionThatEndsIsForgotten() throws {
        try withConnection(writerBehind: true) { loop, writer, connection in
            #expect(try loop.submit { connection.value.tapeGate.mustWait(connection.value, on: loop) }.wait())
            try loop.submit { connection.value.tapeGate.cancel() }.wait()
            try writer.close()
            #expect(try loop.submit { !connection.value.tapeGate.isWaiting && connection.value.resumed == 0 }.wait())
        }
    }
}
