import NIOCore

/// Encodes records into segment files and rotates them; used by one thread at a time (the
/// ``TapeWriter``'s thread, or the caller of a ``TapeFileWriter``).
final class TapeSegmentWriter {
    private let basePath: String
    private let startWallMicros: Int64
    private let options: TapeWriterOptions
    private var file: PosixFile
    private var segment: UInt32 = 0
    private var segmentBytes: Int64 = 0
    /// Records in the current segment (all kinds but the seal), for the seal's count.
    private var segmentRecords: UInt64 = 0
    private var buffer = ByteBuffer()
    /// The most bytes encoded before they are written, whatever the batch: a queue of 64 MiB
    /// would otherwise be encoded into one buffer of twice that (it grows by doubling).
    static let maxEncodedBytes = 4 * 1024 * 1024
    /// Writes `buffer` on another thread when set; the file is then used only after draining it.
    private let background: TapeChunkWriter?
    /// Records encoded into `buffer` but not yet written.
    private var bufferedRecords: UInt64 = 0

    /// Appended records written so far (gap records not counted).
    private(set) var recordsWritten: UInt64 = 0
    private(set) var bytesWritten: UInt64 = 0
    var segments: UInt32 { segment + 1 }

    /// Creates (truncates) `path` and writes its header.
    ///
    /// - Parameter writesInBackground: write on a thread of its own (``TapeChunkWriter``), so
    ///   that encoding goes on meanwhile; "written" then means handed to that thread.
    init(path: String, startWallMicros: Int64, options: TapeWriterOptions, writesInBackground: Bool = false) throws(TapeIOError) {
        self.basePath = path
        self.startWallMicros = startWallMicros
        self.options = options
        self.file = try PosixFile.create(path)
        self.background = writesInBackground ? try TapeChunkWriter(path: path) : nil
        try writeHeader()
    }

    /// Encodes `records` (then `gap`, if any) and writes them, rotating as needed.
    func write(_ records: [TapeRecord], gap: TapeRecord?, droppedRecords: UInt64) throws(TapeIOError) {
        try write(records, flushingEvery: Self.maxEncodedBytes, droppedRecords: droppedRecords)
        if let gap { try append(gap, counted: false, droppedRecords: droppedRecords) }
        try flushAndSyncAsConfigured()
    }

    /// Encodes `records`, writing whenever `flushBytes` are encoded, rotating as needed; what is
    /// left is written by the next call or the seal.
    func write(_ records: [TapeRecord], flushingEvery flushBytes: Int, droppedRecords: UInt64 = 0) throws(TapeIOError) {
        // By index: each record is encoded in place, not copied out of the array (and retained).
        for index in records.indices {
            try append(records[index], counted: true, droppedRecords: droppedRecords)
            if buffer.readableBytes >= flushBytes { try flushAndSyncAsConfigured() }
        }
    }

    /// Writes what is encoded, and syncs when the options ask for it after every flush.
    private func flushAndSyncAsConfigured() throws(TapeIOError) {
        try flush()
        if options.fsync == .onFlush { try syncFile() }
    }

    /// Writes the seal, syncs and closes the file.
    func seal(droppedRecords: UInt64) throws(TapeIOError) {
        segmentBytes += Int64(buffer.writeTapeSeal(TapeSeal(records: segmentRecords, droppedRecords: droppedRecords)))
        try flush()
        try syncFile()
        try file.closeFile()
    }

    /// Closes the file without a seal (after a write error).
    func abandon() {
        try? background?.drain()
        try? file.closeFile()
    }

    /// Waits for the writes handed over, then has the file's data put on the device.
    private func syncFile() throws(TapeIOError) {
        try background?.drain()
        try file.sync()
    }

    private func append(_ record: TapeRecord, counted: Bool, droppedRecords: UInt64) throws(TapeIOError) {
        // A background writer checksums the records it writes, on its own thread.
        segmentBytes += Int64(buffer.writeTapeRecord(record, checksummed: background == nil))
        segmentRecords += 1
        if counted { bufferedRecords += 1 }
        if let limit = options.maxSegmentBytes, segmentBytes >= limit {
            try rotate(droppedRecords: droppedRecords)
        }
    }

    /// Starts the next segment file, then points the current one at it and seals it.
    ///
    /// The new file exists before the pointer to it, so a follower never looks for a missing file.
    private func rotate(droppedRecords: UInt64) throws(TapeIOError) {
        try flush()
        let next = try PosixFile.create(TapeSegmentPath.path(base: basePath, segment: segment + 1))
        segmentBytes += Int64(buffer.writeTapeSegmentNext(segment + 1))
        segmentRecords += 1
        try seal(droppedRecords: droppedRecords)
        file = next
        segment += 1
        segmentBytes = 0
        segmentRecords = 0
        try writeHeader()
    }

    /// Writes a new segment's header at once, also with a background writer: a file that cannot
    /// be written fails here (the new file has no writes in flight yet).
    private func writeHeader() throws(TapeIOError) {
        buffer.writeTapeHeader(TapeHeader(startWallMicros: startWallMicros, segment: segment))
        segmentBytes = Int64(buffer.readableBytes)
        try flush(inBackground: false)
    }

    private func flush(inBackground: Bool = true) throws(TapeIOError) {
        guard buffer.readableBytes > 0 else { return }
        let length = Int64(buffer.readableBytes)
        if inBackground, let background {
            // Moved out, not shared: the writing thread then owns the chunk's only reference.
            var full = ByteBuffer()
            swap(&full, &buffer)
            buffer = try background.write(consume full, to: file, at: segmentBytes - length)
        } else {
            try file.writeAll(buffer)
            file.releaseWrittenPages(start: segmentBytes - length, length: length)
            // A record larger than the usual flush grew the buffer: let that memory go.
            if buffer.capacity > 2 * Self.maxEncodedBytes { buffer = ByteBuffer() } else { buffer.clear() }
        }
        bytesWritten += UInt64(length)
        recordsWritten += bufferedRecords
        bufferedRecords = 0
    }
}
