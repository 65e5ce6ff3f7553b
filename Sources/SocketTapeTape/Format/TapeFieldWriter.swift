import NIOCore

/// Encodes tape fields (docs/tape-format.md, "Field types") into memory a `ByteBuffer` reserved,
/// so a record is written in one buffer access instead of one access per field.
///
/// The caller reserves enough room: at most 10 bytes per varint, a string's UTF-8 count plus 10.
struct TapeFieldWriter {
    private let memory: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    private(set) var count = 0

    init(into memory: UnsafeMutableRawBufferPointer) {
        self.memory = memory
    }

    /// Leaves `count` bytes to be set later.
    mutating func skip(_ count: Int) {
        self.count += count
    }

    mutating func writeByte(_ value: UInt8) {
        memory[count] = value
        count += 1
    }

    mutating func writeBool(_ value: Bool) {
        writeByte(value ? 1 : 0)
    }

    /// An unsigned LEB128 varint (1–10 bytes).
    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        writeByte(UInt8(value))
    }

    /// A signed integer as a zigzag-encoded varint.
    mutating func writeSignedVarint(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A big-endian `u32`.
    mutating func writeBigEndian(_ value: UInt32) {
        memory.storeBytes(of: value.bigEndian, toByteOffset: count, as: UInt32.self)
        count += 4
    }

    /// A varint byte count followed by the bytes.
    mutating func writeBlob(_ blob: ByteBuffer) {
        writeVarint(UInt64(blob.readableBytes))
        blob.withUnsafeReadableBytes { writeRaw($0) }
    }

    /// Frames what was written after the first 8 bytes (left by ``skip(_:)``) as a record: its
    /// length and CRC-32C, little-endian, in those 8 bytes (docs/tape-format.md, "Records"); the
    /// CRC is left zero unless `checksummed`.
    mutating func frameRecord(checksummed: Bool) {
        TapeRecordChecksums.writePrefix(of: UnsafeMutableRawBufferPointer(rebasing: memory[..<count]), checksummed: checksummed)
    }

    /// A varint byte count followed by the string's UTF-8 bytes.
    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            writeVarint(UInt64(bytes.count))
            writeRaw(UnsafeRawBufferPointer(bytes))
        }
    }

    private mutating func writeRaw(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        (memory.baseAddress! + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }
}
