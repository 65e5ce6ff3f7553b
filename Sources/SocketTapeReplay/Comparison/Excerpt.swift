import NIOCore
import SocketTapeWire

/// Short renderings of values for differences and previews: enough to see what differs, never
/// the whole of a long value.
enum Excerpt {
    /// The most characters of a value shown.
    static let maxLength = 80
    /// Strings up to this many characters are shown whole.
    static let shortString = 60
    /// Characters, or bytes, shown on each side of the first difference.
    static let context = 20
    static let byteContext = 8

    /// JSON text, cut to ``maxLength`` characters with `…`.
    static func json(_ value: JSONValue) -> String {
        cut(value.jsonText)
    }

    /// `text`, cut to ``maxLength`` characters with `…`.
    static func cut(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maxLength else { return text }
        var cut = String.UnicodeScalarView(scalars.prefix(maxLength))
        cut.append("…")
        return String(cut)
    }

    /// Two strings that differ, quoted as JSON strings (escapes make control characters visible).
    /// When either is longer than ``shortString``, only the part around the first difference is
    /// quoted, with `…` outside the quotes where text is left out (`…"quick brown fox"…`), and
    /// `offset` is the character at which they first differ; nil when both are shown whole.
    static func strings(_ expected: String, _ actual: String) -> (expected: String, actual: String, offset: Int?) {
        let left = Array(expected.unicodeScalars)
        let right = Array(actual.unicodeScalars)
        let prefix = zip(left, right).prefix { $0 == $1 }.count
        let room = min(left.count, right.count) - prefix
        let suffix = zip(left.reversed(), right.reversed()).prefix(room).prefix { $0 == $1 }.count
        guard left.count > shortString || right.count > shortString else {
            return (quote(left[...]), quote(right[...]), nil)
        }
        let start = max(0, prefix - context)
        func window(_ scalars: [Unicode.Scalar]) -> String {
            var end = min(scalars.count, max(prefix, scalars.count - suffix) + context)
            end = min(end, start + maxLength)
            return (start > 0 ? "…" : "") + quote(scalars[start..<end]) + (end < scalars.count ? "…" : "")
        }
        return (window(left), window(right), prefix)
    }

    /// Two byte strings that differ, as `N bytes: 01 02 03` around the first differing byte, and
    /// that byte's offset.
    static func bytes(_ expected: ByteBuffer, _ actual: ByteBuffer) -> (expected: String, actual: String, offset: Int) {
        let left = Array(expected.readableBytesView)
        let right = Array(actual.readableBytesView)
        let prefix = zip(left, right).prefix { $0 == $1 }.count
        let start = max(0, prefix - byteContext)
        return (hex(left, from: start, to: prefix + byteContext), hex(right, from: start, to: prefix + byteContext), prefix)
    }

    /// `N bytes: 01 02 03`, the first 16 bytes at most.
    static func bytes(_ buffer: ByteBuffer) -> String {
        hex(Array(buffer.readableBytesView), from: 0, to: 2 * byteContext)
    }

    private static func hex(_ bytes: [UInt8], from start: Int, to end: Int) -> String {
        let end = min(end, bytes.count)
        guard start < end else { return "\(bytes.count) bytes" }
        let digits = bytes[start..<end].map { byte in
            let text = String(byte, radix: 16)
            return byte < 0x10 ? "0" + text : text
        }
        return "\(bytes.count) bytes: " + (start > 0 ? "…" : "") + digits.joined(separator: " ") + (end < bytes.count ? "…" : "")
    }

    private static func quote(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return JSONValue.string(text).jsonText
    }
}
