/// The HTTP/1.1 field syntax checks a request needs before it goes on the wire (RFC 9110 §5.1, §5.5).
public enum HTTPFieldSyntax {
    /// Whether `name` is a token: one or more of the `tchar` characters.
    public static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isTokenCharacter)
    }

    /// Whether `value` can be sent as a field value: no CR, LF or NUL (which would end the field
    /// or smuggle another one in), and no other control characters but tab.
    public static func isValidValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// Whether `byte` is a `tchar` (RFC 9110 §5.6.2). Inlinable: a capture checks every byte of
    /// every header name with it.
    @inlinable
    public static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
