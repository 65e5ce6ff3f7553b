// Inlinable: generic over StringProtocol, these run unspecialised (through witness tables) from
// other modules otherwise, for every header of every HTTP message a capture decodes.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    @inlinable
    public var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }

    /// Whether this comma-separated field value lists `token` (any case), as
    /// `Connection: keep-alive, Upgrade` lists `upgrade`.
    @inlinable
    public func listsToken(_ token: some StringProtocol) -> Bool {
        split(separator: ",").contains { $0.trimmingSpaces.caseInsensitiveEquals(token) }
    }

    /// ASCII case-insensitive equality, as HTTP field names and tokens compare.
    @inlinable
    public func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { Self.asciiLowercase($0) == Self.asciiLowercase($1) }
    }

    @usableFromInline
    static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}

extension BidirectionalCollection where Element == UInt8 {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace), for text still
    /// in bytes.
    @inlinable
    public var trimmingSpaces: SubSequence {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
