import NIOCore

/// Writing records in the framing `u32 length | u32 CRC-32C | body` (docs/tape-format.md).
extension ByteBuffer {
    /// Appends `record`, framed; returns the number of bytes written.
    ///
    /// - Parameter checksummed: `false` leaves the CRC field zero, for a writer that checksums
    ///   whole chunks of records later, on another thread (``TapeRecordChecksums``).
    @discardableResult
    mutating func writeTapeRecord(_ record: TapeRecord, checksummed: Bool = true) -> Int {
        if let written = writeHotRecord(record, checksummed: checksummed) { return written }
        return writeFramed(checksummed: checksummed) { body in body.writeRecordBody(record) }
    }

    /// Appends a seal (`end`) record.
    @discardableResult
    mutating func writeTapeSeal(_ seal: TapeSeal) -> Int {
        writeFramed { body in
            body.writeInteger(TapeFormat.Kind.end.rawValue)
            body.writeVarint(seal.records)
            body.writeVarint(seal.droppedRecords)
        }
    }

    /// Appends a `segment-next` record pointing at segment `segment`.
    @discardableResult
    mutating func writeTapeSegmentNext(_ segment: UInt32) -> Int {
        writeFramed { body in
            body.writeInteger(TapeFormat.Kind.segmentNext.rawValue)
            body.writeVarint(UInt64(segment))
        }
    }

    private mutating func writeFramed(checksummed: Bool = true, _ writeBody: (inout ByteBuffer) -> Void) -> Int {
        let start = writerIndex
        writeInteger(UInt64(0))  // length and CRC, set below
        writeBody(&self)
        let prefixOffset = start - readerIndex
        withUnsafeMutableReadableBytes { bytes in
            TapeRecordChecksums.writePrefix(of: UnsafeMutableRawBufferPointer(rebasing: bytes[prefixOffset...]), checksummed: checksummed)
        }
        return writerIndex - start
    }

    /// A `frame` or `message` record (most of a tape) framed, encoded and checksummed in one
    /// buffer access; `nil` for the other kinds.
    private mutating func writeHotRecord(_ record: TapeRecord, checksummed: Bool) -> Int? {
        let payloadBytes: Int
        switch record.body {
        case .frame: payloadBytes = 0
        case .message(let message): payloadBytes = message.payload.readableBytes
        default: return nil
        }
        let maximumBytes = TapeFormat.recordPrefixLength + 1 + (record.session.utf8.count + 10) + 10 + 10 + 24 + payloadBytes
        return writeWithUnsafeMutableBytes(minimumWritableBytes: maximumBytes) { memory in
            var fields = TapeFieldWriter(into: memory)
            fields.skip(TapeFormat.recordPrefixLength)
            fields.writeByte(record.body.kind.rawValue)
            fields.writeString(record.session)
            fields.writeSignedVarint(record.time.wallMicros)
            fields.writeVarint(record.time.offsetNanos)
            switch record.body {
            case .frame(let frame):
                fields.writeByte(frame.from.rawValue)
                fields.writeByte(frame.opcode)
                fields.writeBool(frame.fin)
                fields.writeByte(frame.rsv)
                fields.writeBool(frame.maskingKey != nil)
                if let key = frame.maskingKey { fields.writeBigEndian(key) }
                fields.writeVarint(frame.payloadLength)
            case .message(let message):
                fields.writeByte(message.from.rawValue)
                fields.writeByte(message.opcode)
                fields.writeVarint(UInt64(message.frames))
                fields.writeBool(message.compressed)
                fields.writeBlob(message.payload)
                fields.writeByte(message.transport.rawValue)  // v1.1
            default:
                preconditionFailure("only frame and message records are written here")
            }
            fields.frameRecord(checksummed: checksummed)
            return fields.count
        }
    }

    private mutating func writeRecordBody(_ record: TapeRecord) {
        writeInteger(record.body.kind.rawValue)
        writeTapeString(record.session)
        writeSignedVarint(record.time.wallMicros)
        writeVarint(record.time.offsetNanos)
        switch record.body {
        case .open(let open):
            writeTapeString(open.client)
            writeInteger(open.transport.rawValue)
            writeTapeString(open.upstream)
            writeRequest(open.request)
            writeOptionalResponse(open.response)
            writeVarint(UInt64(open.engineIOVersion ?? 0))  // v1.1
        case .frame, .message:
            preconditionFailure("written by writeHotRecord")
        case .http(let exchange):
            writeRequest(exchange.request)
            writeOptionalResponse(exchange.response)
        case .policy(let policy):
            writeInteger(policy.from.rawValue)
            writeTapeString(policy.rule)
            writeTapeString(policy.action)
            writeTapeString(policy.detail)
            writeBool(policy.identity != nil)  // v1.1
            if let identity = policy.identity { writeTapeString(identity) }
        case .close(let close):
            writeInteger(close.by.rawValue)
            writeBool(close.code != nil)
            if let code = close.code { writeVarint(UInt64(code)) }
            writeTapeString(close.reason)
            writeBool(close.error != nil)
            if let error = close.error { writeTapeString(error) }
        case .upgrade(let upgrade):
            writeInteger(upgrade.transport.rawValue)
            writeRequest(upgrade.request)
            writeOptionalResponse(upgrade.response)
        case .gap(let gap):
            writeVarint(gap.records)
            writeVarint(gap.bytes)
            writeTapeString(gap.reason)
        }
    }

    private mutating func writeHeaders(_ headers: [HeaderField]) {
        writeVarint(UInt64(headers.count))
        for header in headers {
            writeTapeString(header.name)
            writeTapeString(header.value)
        }
    }

    private mutating func writeRequest(_ request: HTTPRequestRecord) {
        writeTapeString(request.method)
        writeTapeString(request.target)
        writeHeaders(request.headers)
        writeBlob(request.body)
    }

    private mutating func writeOptionalResponse(_ response: HTTPResponseRecord?) {
        writeBool(response != nil)
        guard let response else { return }
        writeVarint(UInt64(response.status))
        writeHeaders(response.headers)
        writeBlob(response.body)
    }
}

extension TapeRecord.Body {
    /// The record kind byte of this body.
    var kind: TapeFormat.Kind {
        switch self {
        case .open: .open
        case .frame: .frame
        case .message: .message
        case .http: .http
        case .policy: .policy
        case .close: .close
        case .upgrade: .upgrade
        case .gap: .gap
        }
    }
}
