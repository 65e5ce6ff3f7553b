import NIOCore

/// The masking transform of RFC 6455 §5.3 (its own inverse), 8 bytes at a time.
enum WebSocketMasking {
    /// Appends `source`'s readable bytes to `target`, XORed with `key` starting at key byte 0;
    /// a nil key appends them unchanged.
    static func apply(key: UInt32?, to source: ByteBuffer, appendingTo target: inout ByteBuffer) {
        guard let key else {
            target.writeImmutableBuffer(source)
            return
        }
        let count = source.readableBytes
        guard count > 0 else { return }
        _ = source.withUnsafeReadableBytes { input in
            target.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { output in
                let wideKey = (UInt64(key) << 32 | UInt64(key)).bigEndian
                var index = 0
                while index + 8 <= count {
                    let word = input.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    output.storeBytes(of: word ^ wideKey, toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < count {
                    let keyByte = UInt8(truncatingIfNeeded: key >> (24 - 8 * (index & 3)))
                    output[index] = input[index] ^ keyByte
                    index += 1
                }
                return count
            }
        }
    }
}
