import NIOCore

/// The header at the start of every tape file (each segment has its own).
public struct TapeHeader: Sendable, Equatable {
    /// Format major version; readers refuse majors they do not know.
    public var major: UInt16
    /// Format minor version; readers read any minor of a major they know.
    public var minor: UInt16
    /// The tape's start (shared by all its segments): wall clock, microseconds since the Unix epoch.
    public var startWallMicros: Int64
    /// 0 for the first file of a tape, then 1, 2, … for `PATH.1`, `PATH.2`, ….
    public var segment: UInt32

    /// A header of the format version this library writes.
    public init(startWallMicros: Int64, segment: UInt32) {
        self.major = TapeFormat.major
        self.minor = TapeFormat.minor
        self.startWallMicros = startWallMicros
        self.segment = segment
    }
}

extension ByteBuffer {
    /// Writes `header` as the first bytes of a tape file.
    mutating func writeTapeHeader(_ header: TapeHeader) {
        writeBytes(TapeFormat.magic)
        writeInteger(header.major, endianness: .little)
        writeInteger(header.minor, endianness: .little)
        var body = ByteBuffer()
        body.writeInteger(header.startWallMicros, endianness: .little)
        body.writeInteger(header.segment, endianness: .little)
        writeInteger(UInt32(body.readableBytes), endianness: .little)
        writeInteger(body.withUnsafeReadableBytes(CRC32C.checksum), endianness: .little)
        writeImmutableBuffer(body)
    }
}

extension TapeHeader {
    /// How many bytes the header occupies, read from its fixed prefix; `nil` when `prefix` is too short.
    ///
    /// - Throws: ``TapeReadError`` when the bytes are not a tape or the major version is unknown.
    static func length(fromPrefix prefix: ByteBuffer, path: String) throws(TapeReadError) -> Int? {
        let magic = prefix.getBytes(at: prefix.readerIndex, length: min(prefix.readableBytes, TapeFormat.magic.count)) ?? []
        guard magic.elementsEqual(TapeFormat.magic.prefix(magic.count)) else { throw .notATape(path: path) }
        guard prefix.readableBytes >= TapeFormat.headerPrefixLength else { return nil }
        let major = prefix.getInteger(at: prefix.readerIndex + 8, endianness: .little, as: UInt16.self)!
        guard major == TapeFormat.major else { throw .unsupportedVersion(path: path, major: major) }
        let bodyLength = prefix.getInteger(at: prefix.readerIndex + 12, endianness: .little, as: UInt32.self)!
        guard bodyLength >= TapeFormat.headerBodyLength, bodyLength <= 1 << 16 else {
            throw .badHeader(path: path, reason: "header body length \(bodyLength)")
        }
        return TapeFormat.headerPrefixLength + Int(bodyLength)
    }

    /// Decodes a whole header (``length(fromPrefix:path:)`` bytes).
    init(decoding bytes: ByteBuffer, path: String) throws(TapeReadError) {
        let start = bytes.readerIndex
        let major = bytes.getInteger(at: start + 8, endianness: .little, as: UInt16.self)!
        let minor = bytes.getInteger(at: start + 10, endianness: .little, as: UInt16.self)!
        let crc = bytes.getInteger(at: start + 16, endianness: .little, as: UInt32.self)!
        let body = bytes.getSlice(at: start + TapeFormat.headerPrefixLength, length: bytes.readableBytes - TapeFormat.headerPrefixLength)!
        guard body.withUnsafeReadableBytes(CRC32C.checksum) == crc else {
            throw .badHeader(path: path, reason: "header checksum mismatch")
        }
        self.major = major
        self.minor = minor
        self.startWallMicros = body.getInteger(at: body.readerIndex, endianness: .little, as: Int64.self)!
        self.segment = body.getInteger(at: body.readerIndex + 8, endianness: .little, as: UInt32.self)!
    }
}
