/// The offset of the first byte at which `bytes` stops being valid UTF-8 (`bytes.count` when it
/// ends inside a character), or nil when it is all valid. Fast when valid; the offset is found
/// byte by byte only on failure.
func firstInvalidUTF8Offset(_ bytes: UnsafeRawBufferPointer) -> Int? {
    var validator = UTF8Validator()
    if validator.consume(bytes), validator.isComplete { return nil }
    validator = UTF8Validator()
    for index in 0..<bytes.count where !validator.consume(UnsafeRawBufferPointer(rebasing: bytes[index..<index + 1])) {
        return index
    }
    return bytes.count
}
