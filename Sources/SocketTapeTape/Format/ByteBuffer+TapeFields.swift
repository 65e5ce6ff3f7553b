import NIOCore

/// The field encodings of the tape format (docs/tape-format.md, "Field types").
extension ByteBuffer {
    /// Writes an unsigned LEB128 varint (1–10 bytes).
    mutating func writeVarint(_ value: UInt64) {
        writeFields { $0.writeVarint(value) }
    }

    /// Writes a signed integer as a zigzag-encoded varint.
    mutating func writeSignedVarint(_ value: Int64) {
        writeFields { $0.writeSignedVarint(value) }
    }

    /// Writes a varint's worth of fields (10 bytes at most) with ``TapeFieldWriter``, the one
    /// encoder of the integer fields, in one buffer access.
    private mutating func writeFields(_ write: (inout TapeFieldWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: 10) { memory in
            var fields = TapeFieldWriter(into: memory)
            write(&fields)
            return fields.count
        }
    }

    /// Writes a varint byte count followed by the string's UTF-8 bytes.
    mutating func writeTapeString(_ string: String) {
        writeVarint(UInt64(string.utf8.count))
        writeString(string)
    }

    /// Writes a varint byte count followed by the bytes.
    mutating func writeBlob(_ blob: ByteBuffer) {
        writeVarint(UInt64(blob.readableBytes))
        writeImmutableBuffer(blob)
    }

    mutating func writeBool(_ value: Bool) {
        writeInteger(UInt8(value ? 1 : 0))
    }

    /// Reads an unsigned LEB128 varint; throws on a truncated or over-long one.
    mutating func readVarint() throws(TapeFieldError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw .truncated }
            guard shift < 64, shift < 63 || byte <= 1 else { throw .invalid("varint longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readSignedVarint() throws(TapeFieldError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// Reads a varint that must fit `T`.
    mutating func readVarint<T: FixedWidthInteger>(as: T.Type) throws(TapeFieldError) -> T {
        guard let value = T(exactly: try readVarint()) else { throw .invalid("integer out of range for \(T.self)") }
        return value
    }

    mutating func readTapeString() throws(TapeFieldError) -> String {
        guard let string = try readBlob().validatedUTF8String else { throw .invalid("string is not valid UTF-8") }
        return string
    }

    mutating func readBlob() throws(TapeFieldError) -> ByteBuffer {
        let count = try readVarint(as: Int.self)
        guard let blob = readSlice(length: count) else { throw .truncated }
        return blob
    }

    /// The readable bytes as a string, or `nil` when they are not valid UTF-8.
    var validatedUTF8String: String? {
        withUnsafeReadableBytes { String(validating: $0, as: UTF8.self) }
    }

    mutating func readBool() throws(TapeFieldError) -> Bool {
        switch readInteger(as: UInt8.self) {
        case 0: false
        case 1: true
        case nil: throw .truncated
        case let other?: throw .invalid("boolean byte \(other)")
        }
    }

    /// Reads a `u8` and maps it through `make` (an enum's raw-value initialiser).
    mutating func readEnum<T>(_ name: String, _ make: (UInt8) -> T?) throws(TapeFieldError) -> T {
        guard let raw = readInteger(as: UInt8.self) else { throw .truncated }
        guard let value = make(raw) else { throw .invalid("unknown \(name) \(raw)") }
        return value
    }
}

/// Why a record body could not be decoded.
enum TapeFieldError: Error, Equatable {
    /// The body ended inside a field.
    case truncated
    /// A field holds a value the format does not allow.
    case invalid(String)

    var reason: String {
        switch self {
        case .truncated: "body ends inside a field"
        case .invalid(let reason): reason
        }
    }
}
