import Foundation
import NIOCore

/// Hand-written JSON output into a byte array: the JSON Lines encoder's hot path.
///
/// Objects and arrays insert their commas themselves: after `{` or `[` the next key or element
/// is the first one, after any value it is not.
struct JSONOutput {
    private(set) var bytes: [UInt8] = []
    private var atStart = true

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); atStart = true }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); atStart = false }
    mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); atStart = true }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); atStart = false }

    /// Writes `"name":`; the value follows.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        atStart = true  // the value must not be preceded by a comma
    }

    mutating func null() { raw("null") }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }
    mutating func number(_ value: some BinaryInteger) { raw(String(value)) }

    /// A JSON number written exactly as given (it must be valid JSON).
    mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        atStart = false
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { escaped($0) }
    }

    mutating func base64(_ buffer: ByteBuffer) {
        string(Data(buffer.readableBytesView).base64EncodedString())
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
        atStart = false
    }

    /// Quotes and escapes UTF-8: `"` and `\` and control characters; everything else is copied as is.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
