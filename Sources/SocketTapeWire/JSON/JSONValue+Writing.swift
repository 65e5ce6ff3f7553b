import NIOCore

extension JSONValue {
    /// Compact JSON text, written the way JavaScript's `JSON.stringify` writes it (no spaces,
    /// members in order, numbers as their text, the same string escapes), so a payload a
    /// JavaScript peer sent re-encodes to the same bytes. Parsing the text gives an equal value.
    public var jsonText: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the compact JSON text (see ``jsonText``) as UTF-8.
    public func write(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
        case .bool(true):
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
        case .bool(false):
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
        case .number(let text):
            bytes.append(contentsOf: text.utf8)
        case .string(let string):
            JSONString.write(string, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONString.write(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.value.write(to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the compact JSON text (see ``jsonText``) to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        var bytes: [UInt8] = []
        write(to: &bytes)
        buffer.writeBytes(bytes)
    }
}
