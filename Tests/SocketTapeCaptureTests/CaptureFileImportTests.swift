import NIOCore
import SocketTapeTape
import Testing
import SocketTapeTestSupport

@testable import SocketTapeCapture

@Suite struct CaptureFileImportTests {
    struct WriteFailed: Error, Equatable {}

    /// A capture of three WebSocket sessions, synthesised from their records: messages of up to
    /// 300 KB, so the file spans many batches and messages span many segments.
    func writeCapture(to path: String) throws -> [TapeRecord] {
        func record(_ body: TapeRecord.Body, _ session: Int, at micros: Int64) -> TapeRecord {
            TapeRecord(session: "s\\(session)", time: RecordTime(wallMicros: micros, offsetNanos: 0), body: body)
        }
        let request = HTTPRequestRecord(method: "GET", target: "/", headers: [HeaderField("Upgrade", "websocket")])
        let response = HTTPResponseRecord(status: 101, headers: [HeaderField("Upgrade", "websocket")])
        var records: [TapeRecord] = []
        for session in 0..<3 {
            let open = SessionOpen(
                client: "127.0.0.1:\\(51000 + session)", transport: .websocket, upstream: "ws://127.0.0.1:3000",
                request: request, response: response
            )
            records.append(record(.open(open), session, at: 1_000 + Int64(session)))
        }
        for index in 0..<60 {
            let size = [10, 2_000, 300_000][index % 3]
            let payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: size)
            let from: Peer = index % 2 == 0 ? .client : .server
            records.append(record(.message(MessageRecord(from: from, opcode: 2, payload: payload, frames: 1, compressed: false)), index % 3, at: 2_000 + Int64(index)))
        }
        for session in 0..<3 {
            records.append(record(.close(SessionClose(by: .client, code: 1000, reason: "", error: nil)), session, at: 9_000))
        }
        var synthesizer = PcapSynthesizer()
        let file = try PcapFileWriter(path: path)
        for record in records {
            for packet in try synthesizer.packets(for: record) { file.write(packet) }
        }
        try file.close()
        return records
    }

    /// The records with the decoder's random session prefix taken off.
    func normalised(_ records: [TapeRecord]) -> [TapeRecord] {
        records.map { record in
            var record = record
            record.session = String(record.session.drop { $0 != "-" })
            return record
        }
    }

    @Test func twoThreadsMakeTheRecordsOneThreadMakes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("three.pcap")
        let sent = try writeCapture(to: path)

        var oneThread = CapturePipeline(linkType: try PcapFileReader(path: path).linkType, ports: [3000], options: CaptureDecoderOptions())
        var expected: [TapeRecord] = []
        for packet in try PcapFileReader(path: path) {
            oneThread.process(packet)
            expected += oneThread.takeRecords()
        }
        oneThread.finish()
        expected += oneThread.takeRecords()

        var records: [TapeRecord] = []
        var batches = 0
        let (summary, damage) = try CaptureFileImport.run(try PcapFileReader(path: path), ports: [3000], options: CaptureDecoderOptions()) {
            records += $0
            batches += 1
        }
        #expect(normalised(records) == normalised(expected))
        #expect(summary == oneThread.summary)
        #expect(damage == nil)
        #expect(batches > 10)
        let messages = records.compactMap { record -> ByteBuffer? in
            guard case .message(let message) = record.body else { return nil }
            return message.payload
        }
        let sentMessages = sent.compactMap { record -> ByteBuffer? in
            guard case .message(let message) = record.body else { return nil }
            return message.payload
        }
        #expect(messages.count == 60 && Set(messages) == Set(sentMessages))
        #expect(summary.decoding.sessions == 3 && summary.decoding.holes == 0)
    }

    @Test func anErrorWritingStopsTheImportAndIsRethrown() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("three.pcap")
        _ = try writeCapture(to: path)
        var calls = 0
        #expect(throws: WriteFailed()) {
            _ = try CaptureFileImport.run(try PcapFileReader(path: path), ports: [], options: CaptureDecoderOptions()) { _ in
                calls += 1
                throw WriteFailed()
            }
        }
        #expect(calls == 1)
    }
}
