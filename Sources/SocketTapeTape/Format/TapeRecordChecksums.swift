import NIOCore

/// Fills in the CRC-32C of records encoded without one (`writeTapeRecord(_:checksummed: false)`),
/// so a writer can checksum a chunk of records on the thread that writes it to the file instead
/// of on the one that encodes them.
enum TapeRecordChecksums {
    /// Sets the CRC field of every record in `chunk`'s readable bytes, which must be whole framed
    /// records, the first at the reader index.
    static func fill(_ chunk: inout ByteBuffer) {
        chunk.withUnsafeMutableReadableBytes { bytes in
            let prefix = TapeFormat.recordPrefixLength
            var offset = 0
            while offset < bytes.count {
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                let body = UnsafeRawBufferPointer(rebasing: bytes[(offset + prefix)..<(offset + prefix + length)])
                bytes.storeBytes(of: CRC32C.checksum(body).littleEndian, toByteOffset: offset + 4, as: UInt32.self)
                offset += prefix + length
            }
            precondition(offset == bytes.count, "a chunk of tape records ends inside a record")
        }
    }
}
