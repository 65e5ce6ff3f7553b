import NIOCore

extension ByteBuffer {
    /// The integer at `index` (an index of the buffer, like `getInteger(at:)`'s), or `nil` unless
    /// all its bytes are readable.
    ///
    /// What `getInteger(at:endianness:as:)` returns, read in place: NIO's pre-specialised copy of
    /// that method is called rather than inlined, and checks exclusivity on every call, a few
    /// per cent of reading a capture with a header field or two per packet layer.
    @inline(__always)
    func headerField<Field: FixedWidthInteger>(
        at index: Int, endianness: Endianness = .big, as: Field.Type = Field.self
    ) -> Field? {
        let offset = index - readerIndex
        guard offset >= 0, offset <= readableBytes - MemoryLayout<Field>.size else { return nil }
        let raw = withUnsafeReadableBytes { $0.loadUnaligned(fromByteOffset: offset, as: Field.self) }
        return endianness == .big ? Field(bigEndian: raw) : Field(littleEndian: raw)
    }
}
