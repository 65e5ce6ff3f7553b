/// How error messages name a byte of input: `'x'` for printable ASCII, `byte 0xNN` otherwise.
func describeByte(_ byte: UInt8) -> String {
    (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
}
