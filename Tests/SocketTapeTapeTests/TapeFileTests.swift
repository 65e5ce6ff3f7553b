import Foundation
import NIOCore
import Testing
import SocketTapeTestSupport

@testable import SocketTapeTape

@Suite struct TapeFileTests {
    /// A tape built in memory: its bytes and the file offset where each record ends.
    private struct EncodedTape {
        var bytes = ByteBuffer()
        var headerLength = 0
        var recordEnds: [Int] = []

        init(records: [TapeRecord], sealed: Bool = true) {
            bytes.writeTapeHeader(TapeHeader(startWallMicros: 1_795_000_000_000_000, segment: 0))
            headerLength = bytes.readableBytes
            for record in records {
                bytes.writeTapeRecord(record)
                recordEnds.append(bytes.readableBytes)
            }
            if sealed { bytes.writeTapeSeal(TapeSeal(records: UInt64(records.count), droppedRecords: 0)) }
        }

        func prefix(_ count: Int) -> Data { Data(bytes.getBytes(at: 0, length: count)!) }
    }

    @Test func writerAndReaderRoundTripThroughAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("t.tape")
        let writer = try TapeWriter(path: path)
        writer.append(Fixtures.records[0])
        writer.append(contentsOf: Array(Fixtures.records.dropFirst()))
        try writer.close()
        try writer.close()  // idempotent

        var reader = try TapeReader(path: path)
        #expect(reader.header.startWallMicros == writer.clock.startWallMicros)
        #expect(reader.header.segment == 0)
        #expect(try reader.readAll() == Fixtures.records)
        #expect(reader.sealed)
        #expect(reader.seal == TapeSeal(records: UInt64(Fixtures.records.count), droppedRecords: 0))
        #expect(reader.damage == nil)
        #expect(try reader.next() == nil)

        let statistics = writer.statistics
        #expect(statistics.recordsWritten == UInt64(Fixtures.records.count))
        #expect(statistics.bytesWritten == UInt64(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int))
        #expect(statistics.recordsDropped == 0)
        #expect(statistics.segments == 1)
        #expect(statistics.lastError == nil)
    }

    @Test func appendsAfterCloseAreCountedAsDropped() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try TapeWriter(path: directory.file("t.tape"))
        try writer.close()
        writer.append(Fixtures.records[0])
        #expect(writer.statistics.recordsDropped == 1)
    }

    @Test func truncationAtEveryOffsetKeepsEveryWholeRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = Array(Fixtures.records.prefix(6))
        let tape = EncodedTape(records: records)
        let path = directory.file("cut.tape")
        for cut in 0...tape.bytes.readableBytes {
            try tape.prefix(cut).write(to: URL(fileURLWithPath: path))
            guard cut >= tape.headerLength else {
                #expect(throws: TapeReadError.self) { try TapeReader(path: path) }
                continue
            }
            var reader = try TapeReader(path: path)
            let whole = tape.recordEnds.filter { $0 <= cut }.count
            #expect(try reader.readAll() == Array(records.prefix(whole)), "cut at \(cut)")
            let lastEnd = whole == 0 ? tape.headerLength : tape.recordEnds[whole - 1]
            #expect(reader.sealed == (cut == tape.bytes.readableBytes), "cut at \(cut)")
            if cut == lastEnd || reader.sealed {
                #expect(reader.damage == nil, "cut at \(cut)")
            } else {
                let expected = TapeDamage(path: path, offset: Int64(lastEnd), kind: .tornTail(bytesLost: Int64(cut - lastEnd)))
                #expect(reader.damage == expected, "cut at \(cut)")
            }
        }
    }

    @Test func aBadChecksumStopsReadingAtThatRecord() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let records = Array(Fixtures.records.prefix(5))
        var tape = EncodedTape(records: records)
        let victim = tape.recordEnds[1]  // the third record starts here
        tape.bytes.setInteger(tape.bytes.getInteger(at: victim + 9, as: UInt8.self)! ^ 0x01, at: victim + 9)
        let path = directory.file("bad.tape")
        try tape.prefix(tape.bytes.readableBytes).write(to: URL(fileURLWithPath: path))

        var reader = try TapeReader(path: path)
        #expect(try reader.readAll() == Array(records.prefix(2)))
        #expect(reader.damage == TapeDamage(path: path, offset: Int64(victim), kind: .checksumMismatch))
        #expect(reader.damage?.description.contains("offset \(victim)") == true)
        #expect(!reader.sealed)
    }

    @Test func aSealWithTheWrongCountIsDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var tape = EncodedTape(records: Array(Fixtures.records.prefix(2)), sealed: false)
        tape.bytes.writeTapeSeal(TapeSeal(records: 3, droppedRecords: 0))
        let path = directory.file("count.tape")
        try tape.prefix(tape.bytes.readableBytes).write(to: URL(fileURLWithPath: path))
        var reader = try TapeReader(path: path)
        #expect(try reader.readAll().count == 2)
        #expect(!reader.sealed)
        #expect(reader.damage?.kind == .malformedRecord(reason: "the seal counts 3 records, the segment holds 2"))
    }

    @Test func filesThatAreNotTapesGetErrorsNamingThePath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let text = directory.file("notes.txt")
        try Data("hello, this is text\n".utf8).write(to: URL(fileURLWithPath: text))
        let notATape = #expect(throws: TapeReadError.self) { try TapeReader(path: text) }
        #expect(notATape?.code == .notATape)
        #expect(notATape?.description == "\(text) is not a SocketTape tape (no tape header)")

        var future = EncodedTape(records: []).bytes
        future.setInteger(UInt16(2), at: 8, endianness: .little)
        let futurePath = directory.file("v2.tape")
        try Data(future.readableBytesView).write(to: URL(fileURLWithPath: futurePath))
        let version = #expect(throws: TapeReadError.self) { try TapeReader(path: futurePath) }
        #expect(version?.code == .unsupportedVersion)
        #expect(version?.description == "\(futurePath) uses tape format version 2, this reader knows version 1")

        let missing = directory.file("missing.tape")
        let ioError = #expect(throws: TapeIOError.self) { try TapeReader(path: missing) }
        #expect(ioError?.errno == ENOENT)
        #expect(ioError?.description.hasPrefix("cannot open \(missing): ") == true)

        let unwritable = directory.file("no/such/dir.tape")
        let createError = #expect(throws: TapeIOError.self) { try TapeWriter(path: unwritable) }
        #expect(createError?.description.hasPrefix("cannot create \(unwritable): ") == true)
    }

    @Test func aLaterMinorVersionWithALongerHeaderIsRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var header = ByteBuffer()
        header.writeBytes(TapeFormat.magic)
        header.writeInteger(UInt16(1), endianness: .little)
        header.writeInteger(UInt16(7), endianness: .little)
        var body = ByteBuffer()
        body.writeInteger(Int64(42), endianness: .little)
        body.writeInteger(UInt32(0), endianness: .little)
        body.writeBytes([9, 9, 9])
        header.writeInteger(UInt32(body.readableBytes), endianness: .little)
        header.writeInteger(body.withUnsafeReadableBytes(CRC32C.checksum), endianness: .little)
        header.writeImmutableBuffer(body)
        header.writeTapeRecord(Fixtures.records[1])
        var unknown = ByteBuffer(bytes: [0x42, 1, 2, 3])
        header.writeInteger(UInt32(unknown.readableBytes), endianness: .little)
        header.writeInteger(unknown.withUnsafeReadableBytes(CRC32C.checksum), endianness: .little)
        header.writeBuffer(&unknown)
        header.writeTapeSeal(TapeSeal(records: 2, droppedRecords: 0))
        let path = directory.file("minor.tape")
        try Data(header.readableBytesView).write(to: URL(fileURLWithPath: path))

        var reader = try TapeReader(path: path)
        #expect(reader.header.minor == 7)
        #expect(reader.header.startWallMicros == 42)
        #expect(try reader.readAll() == [Fixtures.records[1]])
        #expect(reader.sealed)
    }
}
