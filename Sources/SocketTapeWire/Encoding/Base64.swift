import NIOCore

/// Base64 with the standard alphabet (RFC 4648 §4), for Engine.IO's `b` packets and the
/// `{"$bytes": …}` form of Socket.IO attachments. Written here because the codec module has no
/// Foundation; small and allocation-light.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0–63 for an alphabet byte, 0xFF for anything else.
    private static let values: [UInt8] = (0...255).map { byte in
        UInt8(truncatingIfNeeded: alphabet.firstIndex(of: UInt8(byte)) ?? 0xFF)
    }

    /// Appends the padded base64 of `input` to `output`.
    public static func encode(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        output.reserveCapacity(output.count + (input.count + 2) / 3 * 4)
        alphabet.withUnsafeBufferPointer { alphabet in
            var index = 0
            while index + 3 <= input.count {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output.append(alphabet[Int(group >> 18)])
                output.append(alphabet[Int(group >> 12 & 0x3F)])
                output.append(alphabet[Int(group >> 6 & 0x3F)])
                output.append(alphabet[Int(group & 0x3F)])
                index += 3
            }
            switch input.count - index {
            case 1:
                let group = UInt32(input[index]) << 16
                output.append(alphabet[Int(group >> 18)])
                output.append(alphabet[Int(group >> 12 & 0x3F)])
                output.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
            case 2:
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output.append(alphabet[Int(group >> 18)])
                output.append(alphabet[Int(group >> 12 & 0x3F)])
                output.append(alphabet[Int(group >> 6 & 0x3F)])
                output.append(UInt8(ascii: "="))
            default:
                break
            }
        }
    }

    /// The padded base64 of the readable bytes of `buffer`.
    public static func encode(_ buffer: ByteBuffer) -> String {
        var output: [UInt8] = []
        buffer.withUnsafeReadableBytes { encode($0, appendingTo: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base64 with or without `=` padding (Node's encoder pads; some peers do not).
    ///
    /// - Throws: ``Base64DecodingError`` at the first byte outside the alphabet, at padding that
    ///   is not at the end, or when the length leaves a single character in the last group.
    public static func decode(_ input: UnsafeRawBufferPointer) throws(Base64DecodingError) -> ByteBuffer {
        var end = input.count
        if end > 0, input[end - 1] == UInt8(ascii: "=") { end -= 1 }
        if end > 0, input[end - 1] == UInt8(ascii: "="), input.count % 4 == 0 { end -= 1 }
        var output = ByteBuffer()
        output.reserveCapacity(end / 4 * 3 + 2)
        let failure: Int? = values.withUnsafeBufferPointer { values in
            var group: UInt32 = 0
            for index in 0..<end {
                let value = values[Int(input[index])]
                guard value != 0xFF else { return index }
                group = group << 6 | UInt32(value)
                if index % 4 == 3 {
                    output.writeInteger(UInt8(truncatingIfNeeded: group >> 16))
                    output.writeInteger(UInt16(truncatingIfNeeded: group))
                    group = 0
                }
            }
            switch end % 4 {
            case 2: output.writeInteger(UInt8(truncatingIfNeeded: group >> 4))
            case 3: output.writeInteger(UInt16(truncatingIfNeeded: group >> 2))
            default: break
            }
            return nil
        }
        if let failure {
            throw Base64DecodingError(offset: failure, reason: "\(describeByte(input[failure])) is not a base64 character")
        }
        guard end % 4 != 1 else { throw Base64DecodingError(offset: end - 1, reason: "a lone base64 character in the last group") }
        if input.count != end, input.count % 4 != 0 {
            throw Base64DecodingError(offset: end, reason: "base64 padding makes the length \(input.count), not a multiple of 4")
        }
        return output
    }

    /// Decodes the readable bytes of `buffer` (see ``decode(_:)-(UnsafeRawBufferPointer)``).
    public static func decode(_ buffer: ByteBuffer) throws(Base64DecodingError) -> ByteBuffer {
        let result = buffer.withUnsafeReadableBytes { bytes -> Result<ByteBuffer, Base64DecodingError> in
            Result { () throws(Base64DecodingError) in try decode(bytes) }
        }
        return try result.get()
    }

    /// Decodes the UTF-8 of `text` (see ``decode(_:)-(UnsafeRawBufferPointer)``).
    public static func decode(_ text: String) throws(Base64DecodingError) -> ByteBuffer {
        try decode(ByteBuffer(string: text))
    }
}
