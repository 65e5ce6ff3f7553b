import Foundation
import NIOCore
import Testing
import SocketTapeTestSupport

@testable import SocketTapeTape

@Suite struct TapeWriterTests {
    private func message(_ index: Int, size: Int = 100) -> TapeRecord {
        Fixtures.message(index, size: size)
    }

    @Test func rotationWritesSegmentsAndTheReaderCrossesThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("r.tape")
        let records = (0..<20).map { message($0) }
        let writer = try TapeWriter(path: path, options: TapeWriterOptions(maxSegmentBytes: 500))
        writer.append(contentsOf: records)
        try writer.close()

        let segments = writer.statistics.segments
        #expect(segments > 3)
        for segment in 1..<segments {
            #expect(FileManager.default.fileExists(atPath: "\(path).\(segment)"))
        }
        #expect(!FileManager.default.fileExists(atPath: "\(path).\(segments)"))

        var reader = try TapeReader(path: path)
        #expect(try reader.readAll() == records)
        #expect(reader.sealed)
        #expect(reader.damage == nil)
        #expect(reader.header.segment == segments - 1)
        #expect(reader.path == "\(path).\(segments - 1)")

        // Any segment can be opened on its own; the reader continues from there.
        var fromSecond = try TapeReader(path: "\(path).2")
        #expect(fromSecond.header.segment == 2)
        let tail = try fromSecond.readAll()
        #expect(!tail.isEmpty && tail.count < records.count - 2)
        #expect(tail == Array(records.suffix(tail.count)))
    }

    @Test func aMissingSegmentIsReportedAsDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("r.tape")
        let writer = try TapeWriter(path: path, options: TapeWriterOptions(maxSegmentBytes: 500))
        writer.append(contentsOf: (0..<10).map { message($0) })
        try writer.close()
        try FileManager.default.removeItem(atPath: "\(path).1")

        var reader = try TapeReader(path: path)
        #expect(try reader.readAll().isEmpty == false)
        #expect(!reader.sealed)
        guard case .missingSegment(let reason) = reader.damage?.kind else {
            Issue.record("expected a missing segment, got \(String(describing: reader.damage))")
            return
        }
        #expect(reason == "\(path).1 does not exist")
    }

    @Test func unwrittenRecordsAreCountedUntilTheyAreInTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = (1...3).map { message($0) }
        let writer = try TapeWriter(path: directory.file("lag.tape"), options: TapeWriterOptions(flushInterval: .seconds(3600)))
        #expect(writer.statistics.oldestUnwritten == nil)
        writer.append(contentsOf: records)
        let queued = writer.statistics
        #expect(queued.unwrittenRecords == 3)
        #expect(queued.unwrittenBytes == UInt64(records.reduce(0) { $0 + $1.estimatedEncodedSize }))
        #expect(queued.oldestUnwritten == records[0].time)
        try writer.close()
        let written = writer.statistics
        #expect(written.recordsWritten == 3)
        #expect(written.unwrittenRecords == 0 && written.unwrittenBytes == 0 && written.oldestUnwritten == nil)
    }

    @Test func overflowingTheQueueDropsRecordsAndWritesAGap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("gap.tape")
        let records = (0..<10).map { message($0) }
        let size = records[0].estimatedEncodedSize
        let options = TapeWriterOptions(flushInterval: .seconds(3600), maxQueuedBytes: size * 4 + size / 2)
        let writer = try TapeWriter(path: path, options: options)
        writer.append(contentsOf: records)  // 4 fit, 6 are dropped
        #expect(writer.statistics.recordsDropped == 6)
        #expect(writer.statistics.bytesDropped == UInt64(size * 6))

        // The full queue asked for an early flush; once it is written there is room again.
        while writer.statistics.recordsWritten < 4 { usleep(1000) }
        let late = message(99)
        writer.append(late)
        try writer.close()

        var reader = try TapeReader(path: path)
        let read = try reader.readAll()
        #expect(Array(read.prefix(4)) == Array(records.prefix(4)))
        #expect(read.count == 6)
        #expect(read[4].session == "")
        #expect(read[4].time == records[4].time)
        #expect(read[4].body == .gap(Gap(records: 6, bytes: UInt64(size * 6), reason: "tape writer queue full (maxQueuedBytes \(size * 4 + size / 2))")))
        #expect(read[5] == late)
        #expect(reader.seal == TapeSeal(records: 6, droppedRecords: 6))
        #expect(writer.statistics.recordsWritten == 5)
    }

    /// The records being written are still in memory: they count against the limit until
    /// written, so records in memory never pass `maxQueuedBytes`.
    @Test func theBatchBeingWrittenCountsAgainstTheQueueLimit() {
        let records = (0..<6).map { message($0) }
        let size = records[0].estimatedEncodedSize
        var queue = TapeWriterQueue(maxQueuedBytes: size * 4 + size / 2, backpressure: .dropRecords)
        for record in records.prefix(4) { _ = queue.enqueue(record) }
        let writing = queue.take()
        #expect(writing.records.count == 4)
        _ = queue.enqueue(records[4])  // the 4 being written leave no room
        #expect(queue.statistics.recordsDropped == 1)
        _ = queue.finishBatch()
        let gapBatch = queue.take()
        #expect(gapBatch.records.isEmpty && gapBatch.gap != nil)
        _ = queue.finishBatch()
        _ = queue.enqueue(records[5])  // written: room again
        #expect(queue.statistics.recordsDropped == 1)
        #expect(queue.take().records == [records[5]])
    }

    @Test func aRecordLargerThanTheQueueIsDroppedWithAGap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("big.tape")
        let writer = try TapeWriter(path: path, options: TapeWriterOptions(maxQueuedBytes: 1000))
        writer.append(message(1, size: 5000))
        try writer.close()
        var reader = try TapeReader(path: path)
        let read = try reader.readAll()
        guard case .gap(let gap) = read.first?.body else {
            Issue.record("expected a gap, got \(read)")
            return
        }
        #expect(read.count == 1)
        #expect(gap.records == 1)
    }

    @Test func aFlushedButUnsealedTapeIsReadableWhileTheWriterRuns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("live.tape")
        let writer = try TapeWriter(path: path, options: TapeWriterOptions(flushInterval: .milliseconds(5), fsync: .onFlush))
        writer.append(contentsOf: Fixtures.records)
        while writer.statistics.recordsWritten < UInt64(Fixtures.records.count) { usleep(1000) }

        var reader = try TapeReader(path: path)
        #expect(try reader.readAll() == Fixtures.records)
        #expect(!reader.sealed)
        #expect(reader.damage == nil)
        try writer.close()
    }

    @Test func aFullDiskIsReportedWithThePath() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let error = #expect(throws: TapeIOError.self) { try TapeWriter(path: "/dev/full") }
        #expect(error?.errno == ENOSPC)
        #expect(error?.description.hasPrefix("cannot write /dev/full: ") == true)
    }

    @Test func aWriterReleasedWithoutCloseStillSealsItsTape() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("released.tape")
        do {
            let writer = try TapeWriter(path: path)
            writer.append(message(1))
        }
        while true {
            var reader = try TapeReader(path: path)
            let records = try reader.readAll()
            if reader.sealed {
                #expect(records == [message(1)])
                break
            }
            usleep(1000)
        }
    }
}
