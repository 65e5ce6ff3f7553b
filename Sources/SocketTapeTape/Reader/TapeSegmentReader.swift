import NIOCore

/// Reads the records of one segment file, a chunk at a time, from a growing or finished file.
struct TapeSegmentReader {
    /// The outcome of one attempt to read a record.
    enum Step {
        case entry(TapeEntry)
        /// The file ends before the next whole record; `buffered` bytes of it are present.
        case incomplete(buffered: Int)
        case damaged(TapeDamage)
    }

    private static let chunkSize = 64 * 1024

    let file: PosixFile
    /// File offset of `buffer`'s first readable byte: the start of the next record.
    private(set) var offset: Int64 = 0
    /// Records read so far, the seal not included (compared with the seal's count).
    private(set) var recordsRead: UInt64 = 0
    private var buffer = ByteBuffer()

    init(path: String) throws(TapeIOError) {
        self.file = try PosixFile.openForReading(path)
    }

    /// Reads the header; `nil` when the file is still shorter than a header.
    mutating func readHeader() throws -> TapeHeader? {
        guard try fill(TapeFormat.headerPrefixLength) else {
            _ = try TapeHeader.length(fromPrefix: buffer, path: file.path)  // a foreign file fails now
            return nil
        }
        guard let length = try TapeHeader.length(fromPrefix: buffer, path: file.path), try fill(length) else { return nil }
        let header = try TapeHeader(decoding: buffer.readSlice(length: length)!, path: file.path)
        offset = Int64(length)
        return header
    }

    /// Reads the next record, if it is whole.
    mutating func nextEntry() throws -> Step {
        guard try fill(TapeFormat.recordPrefixLength) else { return .incomplete(buffered: buffer.readableBytes) }
        let length = Int(buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt32.self)!)
        guard (1...TapeFormat.maxRecordLength).contains(length) else {
            return .damaged(damage(.malformedRecord(reason: "implausible record length \(length)")))
        }
        guard try fill(TapeFormat.recordPrefixLength + length) else { return .incomplete(buffered: buffer.readableBytes) }
        let crc = buffer.getInteger(at: buffer.readerIndex + 4, endianness: .little, as: UInt32.self)!
        let body = buffer.getSlice(at: buffer.readerIndex + TapeFormat.recordPrefixLength, length: length)!
        guard body.withUnsafeReadableBytes(CRC32C.checksum) == crc else { return .damaged(damage(.checksumMismatch)) }
        let entry: TapeEntry
        do {
            entry = try TapeEntry(decodingBody: body)
        } catch {
            return .damaged(damage(.malformedRecord(reason: error.reason)))
        }
        buffer.moveReaderIndex(forwardBy: TapeFormat.recordPrefixLength + length)
        offset += Int64(TapeFormat.recordPrefixLength + length)
        if case .end = entry {} else { recordsRead += 1 }
        return .entry(entry)
    }

    /// Damage of `kind` at the current record.
    func damage(_ kind: TapeDamage.Kind) -> TapeDamage {
        TapeDamage(path: file.path, offset: offset, kind: kind)
    }

    /// Reads until `count` bytes are buffered; `false` when the file ends first.
    private mutating func fill(_ count: Int) throws(TapeIOError) -> Bool {
        while buffer.readableBytes < count {
            if buffer.writableBytes < max(count - buffer.readableBytes, 4096) {
                // A fresh buffer, so records handed out earlier (which share storage) are never copied.
                var fresh = ByteBuffer()
                fresh.reserveCapacity(max(Self.chunkSize, count))
                fresh.writeImmutableBuffer(buffer)
                buffer = fresh
            }
            let position = offset + Int64(buffer.readableBytes)
            if try file.readBytes(into: &buffer, at: position, count: buffer.writableBytes) == 0 { return false }
        }
        return true
    }
}
