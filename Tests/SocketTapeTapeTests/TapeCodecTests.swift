import NIOCore
import Testing

@testable import SocketTapeTape

@Suite struct TapeCodecTests {
    /// Decodes the framed record at the start of `buffer`, checking its length and CRC.
    private func decodeFramed(_ buffer: ByteBuffer) throws -> TapeEntry {
        let length = try #require(buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt32.self))
        #expect(Int(length) + 8 == buffer.readableBytes)
        let body = try #require(buffer.getSlice(at: buffer.readerIndex + 8, length: Int(length)))
        #expect(buffer.getInteger(at: buffer.readerIndex + 4, endianness: .little, as: UInt32.self) == body.withUnsafeReadableBytes(CRC32C.checksum))
        return try TapeEntry(decodingBody: body)
    }

    @Test(arguments: Fixtures.records)
    func everyRecordRoundTrips(_ record: TapeRecord) throws {
        var buffer = ByteBuffer()
        let written = buffer.writeTapeRecord(record)
        #expect(written == buffer.readableBytes)
        #expect(try decodeFramed(buffer) == .record(record))
        #expect(record.estimatedEncodedSize >= written)
    }

    /// Records encoded without CRCs and checksummed afterwards as one chunk (the background
    /// writer's way) are byte for byte the records encoded with them.
    @Test func checksumsFilledLaterEqualChecksumsWritten() {
        var checksummed = ByteBuffer()
        var filledLater = ByteBuffer()
        for record in Fixtures.records {
            checksummed.writeTapeRecord(record)
            filledLater.writeTapeRecord(record, checksummed: false)
        }
        #expect(filledLater != checksummed)
        TapeRecordChecksums.fill(&filledLater)
        #expect(filledLater == checksummed)
    }

    @Test func sealAndSegmentNextRoundTrip() throws {
        var seal = ByteBuffer()
        seal.writeTapeSeal(TapeSeal(records: 0, droppedRecords: UInt64.max))
        #expect(try decodeFramed(seal) == .end(TapeSeal(records: 0, droppedRecords: UInt64.max)))
        var next = ByteBuffer()
        next.writeTapeSegmentNext(UInt32.max)
        #expect(try decodeFramed(next) == .segmentNext(UInt32.max))
    }

    @Test func exactBytesOfAGapRecord() throws {
        var buffer = ByteBuffer()
        let time = RecordTime(wallMicros: -1, offsetNanos: 300)
        buffer.writeTapeRecord(TapeRecord(session: "S", time: time, body: .gap(Gap(records: 1, bytes: 128, reason: "x"))))
        let body: [UInt8] = [7, 1, 0x53, 0x01, 0xAC, 0x02, 0x01, 0x80, 0x01, 0x01, 0x78]
        #expect(buffer.getBytes(at: 0, length: 4) == [UInt8(body.count), 0, 0, 0])
        #expect(buffer.getBytes(at: 8, length: body.count) == body)
    }

    @Test func exactBytesOfFrameAndMessageRecords() throws {
        let time = RecordTime(wallMicros: 64, offsetNanos: 200)
        var frame = ByteBuffer()
        frame.writeTapeRecord(TapeRecord(session: "ab", time: time, body: .frame(FrameInfo(
            from: .client, opcode: 1, fin: true, rsv: 4, maskingKey: 0x0A0B_0C0D, payloadLength: 300
        ))))
        // kind, session, wall (zigzag 128), offset 200, peer, opcode, fin, rsv, masked, key (big-endian), length 300
        let frameBody: [UInt8] = [2, 2, 0x61, 0x62, 0x80, 0x01, 0xC8, 0x01, 0, 1, 1, 4, 1, 0x0A, 0x0B, 0x0C, 0x0D, 0xAC, 0x02]
        #expect(frame.getBytes(at: 0, length: 4) == [UInt8(frameBody.count), 0, 0, 0])
        #expect(frame.getBytes(at: 8, length: frameBody.count) == frameBody)
        #expect(frame.readableBytes == 8 + frameBody.count)

        let record = TapeRecord(session: "", time: time, body: .message(MessageRecord(
            from: .server, opcode: 2, payload: ByteBuffer(bytes: [0xFF, 0x00]), frames: 130, compressed: true, transport: .polling
        )))
        var message = ByteBuffer()
        message.writeTapeRecord(record)
        // kind, empty session, wall, offset, peer, opcode, frames 130, compressed, payload (2 bytes), transport polling
        let messageBody: [UInt8] = [3, 0, 0x80, 0x01, 0xC8, 0x01, 1, 2, 0x82, 0x01, 1, 2, 0xFF, 0x00, 1]
        #expect(message.getBytes(at: 8, length: messageBody.count) == messageBody)
        #expect(message.readableBytes == 8 + messageBody.count)
        #expect(try decodeFramed(message) == .record(record))
    }

    @Test func laterMinorVersionsAreReadable() throws {
        var buffer = ByteBuffer()
        buffer.writeTapeRecord(Fixtures.records[0])
        var body = try #require(buffer.getSlice(at: 8, length: buffer.readableBytes - 8))
        body.writeBytes([1, 2, 3])  // a field appended by a later minor version
        #expect(try TapeEntry(decodingBody: body) == .record(Fixtures.records[0]))
        #expect(try TapeEntry(decodingBody: ByteBuffer(bytes: [0x42, 9, 9])) == .unknown(kind: 0x42))
    }

    /// v1.0 bodies lack the fields v1.1 appended (open's Engine.IO version, message's transport).
    @Test func version1Point0BodiesDecodeWithDefaults() throws {
        let open = TapeRecord(session: "S", time: Fixtures.times[0], body: .open(SessionOpen(
            client: "c", transport: .websocket, upstream: "u", request: Fixtures.request, response: nil, engineIOVersion: 3
        )))
        let message = TapeRecord(session: "S", time: Fixtures.times[0], body: .message(MessageRecord(
            from: .client, opcode: 1, payload: ByteBuffer(string: "42"), frames: 0, compressed: false, transport: .polling
        )))
        let policy = TapeRecord(session: "S", time: Fixtures.times[0], body: .policy(PolicyDecision(
            from: .client, rule: "limits[0]", action: "drop", detail: "20/s", identity: nil
        )))
        for (record, appendedBytes) in [(open, 1), (message, 1), (policy, 1)] {
            var buffer = ByteBuffer()
            buffer.writeTapeRecord(record)
            let v1Body = try #require(buffer.getSlice(at: 8, length: buffer.readableBytes - 8 - appendedBytes))
            guard case .record(let decoded) = try TapeEntry(decodingBody: v1Body) else {
                Issue.record("not a record")
                continue
            }
            switch decoded.body {
            case .open(let info): #expect(info.engineIOVersion == nil)
            case .message(let info): #expect(info.transport == .websocket)
            case .policy(let info): #expect(info.identity == nil && info.detail == "20/s")
            default: Issue.record("unexpected \(decoded.body)")
            }
        }
    }

    @Test func malformedBodiesAreRejected() {
        #expect(throws: TapeFieldError.truncated) { try TapeEntry(decodingBody: ByteBuffer(bytes: [3, 0])) }
        // kind message, session "", times 0, peer 7
        #expect(throws: TapeFieldError.invalid("unknown peer 7")) { try TapeEntry(decodingBody: ByteBuffer(bytes: [3, 0, 0, 0, 7])) }
        #expect(throws: TapeFieldError.invalid("string is not valid UTF-8")) {
            try TapeEntry(decodingBody: ByteBuffer(bytes: [3, 1, 0xFF]))
        }
        #expect(throws: TapeFieldError.invalid("varint longer than 64 bits")) {
            try TapeEntry(decodingBody: ByteBuffer(bytes: [0xFF] + [UInt8](repeating: 0xFF, count: 10) + [1]))
        }
    }

    @Test func varintsAtTheLimits() throws {
        for value: UInt64 in [0, 127, 128, 16383, 16384, UInt64(UInt32.max), UInt64.max] {
            var buffer = ByteBuffer()
            buffer.writeVarint(value)
            #expect(try buffer.readVarint() == value)
            #expect(buffer.readableBytes == 0)
        }
        for value: Int64 in [0, -1, 1, Int64.min, Int64.max] {
            var buffer = ByteBuffer()
            buffer.writeSignedVarint(value)
            #expect(try buffer.readSignedVarint() == value)
        }
    }
}
