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
        withContiguousBytes(of: self, token) { $0.listsToken($1) } ?? utf8.listsToken(token.utf8)
    }

    /// ASCII case-insensitive equality, as HTTP field names and tokens compare.
    @inlinable
    public func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return withContiguousBytes(of: self, other) { $0.caseInsensitiveEquals($1) } ?? utf8.caseInsensitiveEquals(other.utf8)
    }

    /// With A–Z lowered and every other character kept, the folding ``caseInsensitiveEquals(_:)``
    /// compares with.
    public var asciiLowercased: String {
        String(decoding: utf8.map(asciiLowercase), as: UTF8.self)
    }
}

// In bytes, without splitting into substrings or walking grapheme clusters: a capture checks the
// headers of every handshake it decodes this way. On `Collection`, as `StringProtocol.UTF8View` is.
extension Collection where Element == UInt8 {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace), for text still
    /// in bytes.
    @inlinable
    public var trimmingSpaces: SubSequence {
        var first: Index?
        var afterLast = startIndex
        var index = startIndex
        while index != endIndex {
            if self[index] != UInt8(ascii: " "), self[index] != UInt8(ascii: "\t") {
                if first == nil { first = index }
                afterLast = self.index(after: index)
            }
            formIndex(after: &index)
        }
        guard let first else { return self[endIndex...] }
        return self[first..<afterLast]
    }

    /// Whether these bytes, a comma-separated field value, list `token` (ASCII, any case), spaces
    /// and tabs around each element ignored.
    @inlinable
    public func listsToken(_ token: some Collection<UInt8>) -> Bool {
        var start = startIndex
        while true {
            let end = self[start...].firstIndex(of: UInt8(ascii: ",")) ?? endIndex
            if self[start..<end].trimmingSpaces.caseInsensitiveEquals(token) { return true }
            guard end != endIndex else { return false }
            start = index(after: end)
        }
    }

    /// ASCII case-insensitive equality.
    @inlinable
    public func caseInsensitiveEquals(_ other: some Collection<UInt8>) -> Bool {
        count == other.count && elementsEqual(other) { asciiLowercase($0) == asciiLowercase($1) }
    }
}

/// `body` over the UTF-8 bytes of both texts in place, or nil when either is not stored as
/// contiguous UTF-8 (a bridged string). Walking `String.UTF8View` by index checks every index;
/// the proxy compares the headers of every handshake, a capture those of every one it decodes.
@inlinable
func withContiguousBytes<Result>(
    of first: some StringProtocol, _ second: some StringProtocol,
    _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result
) -> Result? {
    first.utf8.withContiguousStorageIfAvailable { firstBytes in
        second.utf8.withContiguousStorageIfAvailable { secondBytes in body(firstBytes, secondBytes) }
    } ?? nil
}

@usableFromInline
func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
}
