import NIOCore

/// A record's length and CRC-32C fields (docs/tape-format.md, "Records"), set in one place for
/// every way a record is encoded: at once, or, for records encoded without a CRC
/// (`writeTapeRecord(_:checksummed: false)`), later and on another thread, a chunk at a time,
/// by a writer that checksums on the thread that writes the file.
enum TapeRecordChecksums {
    /// Sets the length and CRC fields of the framed record that fills `record` (the 8-byte
    /// prefix, then the body); the CRC is left zero unless `checksummed`.
    static func writePrefix(of record: UnsafeMutableRawBufferPointer, checksummed: Bool) {
        let prefix = TapeFormat.recordPrefixLength
        record.storeBytes(of: UInt32(record.count - prefix).littleEndian, toByteOffset: 0, as: UInt32.self)
        let checksum = checksummed ? CRC32C.checksum(UnsafeRawBufferPointer(rebasing: record[prefix...])) : 0
        record.storeBytes(of: checksum.littleEndian, toByteOffset: 4, as: UInt32.self)
    }

    /// Sets the CRC field of every record in `chunk`'s readable bytes, which must be whole framed
    /// records, the first at the reader index.
    static func fill(_ chunk: inout ByteBuffer) {
        chunk.withUnsafeMutableReadableBytes { bytes in
            let prefix = TapeFormat.recordPrefixLength
            var offset = 0
            while offset < bytes.count {
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                let end = offset + prefix + length
                writePrefix(of: UnsafeMutableRawBufferPointer(rebasing: bytes[offset..<end]), checksummed: true)
                offset = end
            }
            precondition(offset == bytes.count, "a chunk of tape records ends inside a record")
        }
    }
}
