import NIOCore
import SocketTapeWire

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

    /// Continues after the caller's buffer, taking it over without a copy; hand it back with
    /// ``finish(into:)``.
    init(appendingTo buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    /// Gives the bytes back to the caller's buffer (the counterpart of ``init(appendingTo:)``).
    mutating func finish(into buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
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
    mutating func number(_ value: some BinaryInteger) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(UInt64(value.magnitude))
        atStart = false
    }

    /// Appends `value` in decimal, zero-padded to `width` digits, with no separator: a piece of a
    /// larger token (timestamps), written without building a `String`.
    mutating func digits(_ value: UInt64, width: Int = 1) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var index = 20
            var rest = value
            repeat {
                index -= 1
                scratch[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            while 20 - index < width {
                index -= 1
                scratch[index] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[index...]))
        }
    }

    /// Appends one ASCII byte with no separator.
    mutating func ascii(_ character: Unicode.Scalar) {
        bytes.append(UInt8(ascii: character))
    }

    /// Starts a value that the caller writes piece by piece with ``digits(_:width:)`` and ``ascii(_:)``.
    mutating func beginPieces() {
        separate()
    }

    /// A JSON literal written exactly as given (it must be valid JSON).
    private mutating func raw(_ text: StaticString) {
        separate()
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        atStart = false
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { escaped($0) }
    }

    /// A JSON string straight from bytes the caller has checked are valid UTF-8.
    mutating func string(utf8 buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { escaped($0.assumingMemoryBound(to: UInt8.self)) }
    }

    /// A parsed JSON value, written as `JSON.stringify` writes it (``JSONValue/write(to:)-([UInt8])``).
    mutating func json(_ value: JSONValue) {
        separate()
        value.write(to: &bytes)
        atStart = false
    }

    mutating func base64(_ buffer: ByteBuffer) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        buffer.withUnsafeReadableBytes { Base64.encode($0, appendingTo: &bytes) }
        bytes.append(UInt8(ascii: "\""))
        atStart = false
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
        atStart = false
    }

    /// Quotes and escapes UTF-8 as `JSON.stringify` does (``JSONString``).
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        JSONString.write(utf8: utf8, to: &bytes)
    }
}
