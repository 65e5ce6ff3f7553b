import NIOCore
import SocketTapeWire

/// Checksums and writes a tape's encoded records on a thread of its own, a chunk at a time, so
/// that the thread encoding the next chunk does not wait for `write(2)` and the page cache, nor
/// spend its time on CRCs; written chunks come back empty to be filled again, so none is
/// allocated or freed per write.
///
/// A chunk holds whole records, their CRC fields left to fill (``TapeRecordChecksums``).
///
/// At most ``chunksInFlight`` chunks are handed over at once: the encoder waits for one to come
/// back when it is that far ahead. A write error comes back with its chunk and is thrown by the
/// next call. The caller must ``drain()`` before it uses the file itself (sync, close).
final class TapeChunkWriter {
    /// Chunks handed over and not yet back, at most.
    static let chunksInFlight = 2

    /// A chunk and where it goes: the file is used by the writing thread alone until the chunk is back.
    private struct Chunk: @unchecked Sendable {
        var bytes: ByteBuffer
        let file: PosixFile
        let offset: Int64
    }

    private struct Written: Sendable {
        var bytes: ByteBuffer
        let failure: TapeIOError?
    }

    private let chunks = BlockingHandoff<Chunk?>(capacity: chunksInFlight)
    private let written = BlockingHandoff<Written>(capacity: chunksInFlight)
    /// Empty chunks to fill, and the count of chunks on the writing thread.
    private var spare: [ByteBuffer] = [ByteBuffer()]
    private var inFlight = 0
    private var failure: TapeIOError?

    /// Starts the writing thread.
    init(path: String) throws(TapeIOError) {
        let (chunks, written) = (chunks, written)
        if let failure = DetachedThread.start({ Self.run(chunks, written) }) {
            throw TapeIOError(operation: "start a thread", path: path, errno: failure)
        }
    }

    deinit {
        _ = chunks.put(nil)
    }

    /// Hands `bytes` (whole records, to be written at `offset` of `file`) to the writing thread and
    /// returns an empty chunk to fill next, waiting for one to come back when ``chunksInFlight``
    /// are out.
    ///
    /// The caller gives up `bytes`: with no other reference left, the writing thread fills in the
    /// checksums in place instead of copying the chunk first (copy-on-write).
    func write(_ bytes: consuming ByteBuffer, to file: PosixFile, at offset: Int64) throws(TapeIOError) -> ByteBuffer {
        if let failure { throw failure }
        _ = chunks.put(Chunk(bytes: consume bytes, file: file, offset: offset))
        inFlight += 1
        if spare.isEmpty { try receive() }
        return spare.removeLast()
    }

    /// Waits until every chunk handed over is written.
    func drain() throws(TapeIOError) {
        while inFlight > 0 { try receive() }
        if let failure { throw failure }
    }

    private func receive() throws(TapeIOError) {
        var chunk = written.take()
        inFlight -= 1
        chunk.bytes.clear()
        spare.append(chunk.bytes)
        if let error = chunk.failure {
            failure = failure ?? error
            throw error
        }
    }

    private static func run(_ chunks: BlockingHandoff<Chunk?>, _ written: BlockingHandoff<Written>) {
        while true {
            guard var chunk = chunks.take() else { return }
            var failure: TapeIOError?
            TapeRecordChecksums.fill(&chunk.bytes)
            do {
                try chunk.file.writeAll(chunk.bytes)
                chunk.file.releaseWrittenPages(start: chunk.offset, length: Int64(chunk.bytes.readableBytes))
            } catch {
                failure = error
            }
            // Given back with no reference kept here, so that clearing it does not allocate anew.
            _ = written.put(Written(bytes: (consume chunk).bytes, failure: failure))
        }
    }
}
