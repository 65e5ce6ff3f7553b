import Foundation
import NIOCore
import Testing
import SocketTapeTestSupport

@testable import SocketTapeTape

@Suite struct TapeFollowTests {
    @Test func followReadsATapeWhileAnotherThreadWritesAndRotatesIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("follow.tape")
        let options = TapeWriterOptions(flushInterval: .milliseconds(2), maxSegmentBytes: 2000)
        let writer = try TapeWriter(path: path, options: options)
        let records = (0..<200).map { index in
            TapeRecord(
                session: "S\(index % 7)",
                time: writer.clock.now(),
                body: .message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "message \(index)"), frames: 1, compressed: false))
            )
        }
        let producer = Thread {
            for (index, record) in records.enumerated() {
                writer.append(record)
                if index % 10 == 0 { usleep(3000) }
            }
            try? writer.close()
        }
        var reader = try TapeReader(path: path)
        producer.start()

        #expect(try reader.readAll(follow: true) == records)
        #expect(reader.sealed)
        #expect(reader.header.segment > 0)
    }

    @Test func followWaitsForAPartialRecordToComplete() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("partial.tape")
        var bytes = ByteBuffer()
        bytes.writeTapeHeader(TapeHeader(startWallMicros: 0, segment: 0))
        bytes.writeTapeRecord(Fixtures.records[0])
        let split = bytes.readableBytes - 3
        bytes.writeTapeSeal(TapeSeal(records: 1, droppedRecords: 0))
        try Data(bytes.getBytes(at: 0, length: split)!).write(to: URL(fileURLWithPath: path))

        let rest = Data(bytes.getBytes(at: split, length: bytes.readableBytes - split)!)
        let appender = Thread {
            usleep(20_000)
            let handle = FileHandle(forWritingAtPath: path)!
            handle.seekToEndOfFile()
            handle.write(rest)
            try? handle.close()
        }
        var reader = try TapeReader(path: path)
        appender.start()
        #expect(try reader.next(follow: true) == Fixtures.records[0])
        #expect(try reader.next(follow: true) == nil)
        #expect(reader.sealed)
        #expect(reader.damage == nil)
    }
}
