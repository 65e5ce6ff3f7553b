/// Where and how a tape stopped being readable before its seal.
public struct TapeDamage: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file ends inside a record: `bytesLost` bytes after the last whole record cannot be read.
        case tornTail(bytesLost: Int64)
        /// The record at ``TapeDamage/offset`` fails its CRC-32C.
        case checksumMismatch
        /// The record at ``TapeDamage/offset`` passes its checksum but cannot be decoded.
        case malformedRecord(reason: String)
        /// A `segment-next` record names a segment file that is missing or not the expected segment.
        case missingSegment(reason: String)
    }

    /// The segment file concerned.
    public var path: String
    /// Byte offset in ``path`` of the first record that could not be read.
    public var offset: Int64
    public var kind: Kind

    public init(path: String, offset: Int64, kind: Kind) {
        self.path = path
        self.offset = offset
        self.kind = kind
    }

    /// One line, for example `t.tape: torn tail at offset 4096: 17 bytes after the last whole record are lost`.
    public var description: String {
        switch kind {
        case .tornTail(let bytesLost):
            "\(path): torn tail at offset \(offset): \(bytesLost) bytes after the last whole record are lost"
        case .checksumMismatch:
            "\(path): checksum mismatch in the record at offset \(offset); reading stopped there"
        case .malformedRecord(let reason):
            "\(path): malformed record at offset \(offset): \(reason); reading stopped there"
        case .missingSegment(let reason):
            "\(path): cannot continue after offset \(offset): \(reason)"
        }
    }
}
