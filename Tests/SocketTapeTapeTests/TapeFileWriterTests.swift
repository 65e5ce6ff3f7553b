import Foundation
import NIOCore
import Testing
import SocketTapeTestSupport

@testable import SocketTapeTape

@Suite struct TapeFileWriterTests {
    private func message(_ index: Int, size: Int) -> TapeRecord {
        Fixtures.message(index, size: size, from: .server, session: "S\(index % 3)")
    }

    @Test func everyRecordIsWrittenInOrderAcrossManyWritesAndSealed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("file.tape")
        // About 5 MiB: several 1 MiB writes, batches of different sizes, one record larger than a write.
        let records = (0..<1_000).map { message($0, size: $0 == 500 ? 3 << 20 : 2_000) }
        let tape = try TapeFileWriter(path: path, clock: TapeClock(startWallMicros: 42))
        try tape.append(contentsOf: Array(records[..<1]))
        try tape.append(contentsOf: [])
        try tape.append(contentsOf: Array(records[1..<700]))
        try tape.append(contentsOf: Array(records[700...]))
        try tape.close()
        try tape.close()  // a second close does nothing

        var reader = try TapeReader(path: path)
        #expect(reader.header.startWallMicros == 42)
        #expect(try reader.readAll() == records)
        #expect(reader.sealed)
        #expect(reader.seal == TapeSeal(records: 1_000, droppedRecords: 0))
    }

    @Test func rotatesAtTheSegmentSize() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("rotated.tape")
        let records = (0..<50).map { message($0, size: 100) }
        let tape = try TapeFileWriter(path: path, options: TapeWriterOptions(maxSegmentBytes: 1_000))
        try tape.append(contentsOf: records)
        try tape.close()
        #expect(FileManager.default.fileExists(atPath: "\(path).3"))
        var reader = try TapeReader(path: path)
        #expect(try reader.readAll() == records)
        #expect(reader.sealed)
    }

    @Test func aTapeThatCannotBeWrittenIsReportedWithThePath() throws {
        let error = #expect(throws: TapeIOError.self) { try TapeFileWriter(path: "/dev/full") }
        #expect(error?.errno == ENOSPC)
        #expect(error?.description.hasPrefix("cannot write /dev/full: ") == true)
        let missing = #expect(throws: TapeIOError.self) { try TapeFileWriter(path: "/nonexistent-directory/t.tape") }
        #expect(missing?.errno == ENOENT)
    }
}
