/// RFC 6901 JSON pointers: `/args/0/user~1name` names member `user/name` of element 0 of `args`.
///
/// The one place the project escapes and reads reference tokens; schema violations, replay
/// differences and ignore rules all name values this way.
public enum JSONPointer {
    /// `token` as a reference token: `~` written `~0` and `/` written `~1` (RFC 6901 §3).
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var escaped = ""
        for character in token.unicodeScalars {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// The pointer made of `tokens`, each escaped and preceded by `/`; `""` for no tokens.
    public static func pointer(_ tokens: some Sequence<String>) -> String {
        tokens.reduce(into: "") { pointer, token in
            pointer += "/"
            pointer += escape(token)
        }
    }

    /// The unescaped reference tokens of `pointer`: `[]` for `""` (the whole document),
    /// `["a", "b/c"]` for `/a/b~1c`.
    ///
    /// - Throws: ``JSONPointerError`` when the pointer does not start with `/`, or a `~` is not
    ///   followed by `0` or `1`; the offset is that character's byte offset in `pointer`.
    public static func tokens(of pointer: String) throws(JSONPointerError) -> [String] {
        let utf8 = Array(pointer.utf8)
        guard let first = utf8.first else { return [] }
        guard first == UInt8(ascii: "/") else { throw JSONPointerError(offset: 0, reason: "does not start with '/'") }
        var tokens: [String] = []
        var current: [UInt8] = []
        var index = 1
        while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "/"):
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            case UInt8(ascii: "~"):
                let next = index + 1 < utf8.count ? utf8[index + 1] : nil
                switch next {
                case UInt8(ascii: "0"): current.append(UInt8(ascii: "~"))
                case UInt8(ascii: "1"): current.append(UInt8(ascii: "/"))
                default: throw JSONPointerError(offset: index, reason: "'~' must be followed by '0' or '1' (write '~0' for '~', '~1' for '/')")
                }
                index += 1
            default:
                current.append(byte)
            }
            index += 1
        }
        tokens.append(String(decoding: current, as: UTF8.self))
        return tokens
    }
}
