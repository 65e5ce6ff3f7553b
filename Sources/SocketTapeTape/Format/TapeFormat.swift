/// Constants of the binary tape format, version 1 (docs/tape-format.md).
enum TapeFormat {
    /// `STAPE\r\n\x1A`: the `\r\n` pair reveals line-ending conversion, `\x1A` stops DOS `type`.
    static let magic: [UInt8] = [0x53, 0x54, 0x41, 0x50, 0x45, 0x0D, 0x0A, 0x1A]
    static let major: UInt16 = 1
    static let minor: UInt16 = 1
    /// Magic, major, minor, header body length, header body CRC.
    static let headerPrefixLength = 8 + 2 + 2 + 4 + 4
    /// The v1.0 header body: start wall clock (i64) and segment number (u32).
    static let headerBodyLength = 8 + 4
    /// Record length and CRC.
    static let recordPrefixLength = 4 + 4
    /// The largest record body a reader accepts (1 GiB); longer lengths mean damage.
    static let maxRecordLength = 1 << 30

    /// The `u8` that starts every record body.
    enum Kind: UInt8 {
        case open = 1
        case frame = 2
        case message = 3
        case http = 4
        case policy = 5
        case close = 6
        case gap = 7
        case upgrade = 8
        case segmentNext = 0xFE
        case end = 0xFF
    }
}
