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
    /// Records encoded into `buffer` but not yet written.
    private var bufferedRecords: UInt64 = 0

    /// Appended records written so far (gap records not counted).
    private(set) var recordsWritten: UInt64 = 0
    private(set) var bytesWritten: UInt64 = 0
    var segments: UInt32 { segment + 1 }

    /// Creates (truncates) `path` and writes its header.
    init(path: String, startWallMicros: Int64, options: TapeWriterOptions) throws(TapeIOError) {
        self.basePath = path
        self.startWallMicros = startWallMicros
        self.options = options
        self.file = try PosixFile.create(path)
        try writeHeader()
    }

    /// Encodes `records` (then `gap`, if any) and writes them, rotating as needed.
    func write(_ records: [TapeRecord], gap: TapeRecord?, droppedRecords: UInt64) throws(TapeIOError) {
        for record in records {
            try append(record, counted: true, droppedRecords: droppedRecords)
        }
        if let gap { try append(gap, counted: false, droppedRecords: droppedRecords) }
        try flush()
        if options.fsync == .onFlush { try file.sync() }
    }

    /// Encodes `records`, writing whenever `flushBytes` are encoded, rotating as needed; what is
    /// left is written by the next call or the seal.
    func write(_ records: [TapeRecord], flushingEvery flushBytes: Int) throws(TapeIOError) {
        for record in records {
            try append(record, counted: true, droppedRecords: 0)
            if buffer.readableBytes >= flushBytes {
                try flush()
                if options.fsync == .onFlush { try file.sync() }
            }
        }
    }

    /// Writes the seal, syncs and closes the file.
    func seal(droppedRecords: UInt64) throws(TapeIOError) {
        segmentBytes += Int64(buffer.writeTapeSeal(TapeSeal(records: segmentRecords, droppedRecords: droppedRecords)))
        try flush()
        try file.sync()
        try file.closeFile()
    }

    /// Closes the file without a seal (after a write error).
    func abandon() {
        try? file.closeFile()
    }

    private func append(_ record: TapeRecord, counted: Bool, droppedRecords: UInt64) throws(TapeIOError) {
        segmentBytes += Int64(buffer.writeTapeRecord(record))
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

    private func writeHeader() throws(TapeIOError) {
        buffer.writeTapeHeader(TapeHeader(startWallMicros: startWallMicros, segment: segment))
        segmentBytes = Int64(buffer.readableBytes)
        try flush()
    }

    private func flush() throws(TapeIOError) {
        guard buffer.readableBytes > 0 else { return }
        try file.writeAll(buffer)
        let length = Int64(buffer.readableBytes)
        file.releaseWrittenPages(start: segmentBytes - length, length: length)
        bytesWritten += UInt64(buffer.readableBytes)
        recordsWritten += bufferedRecords
        bufferedRecords = 0
        buffer.clear()
    }
}
