/// Number and column formatting for text output (the CLI, reports): what `printf` would do, without
/// loading Foundation into the binary for `String(format:)`.
public enum TextFormat {
    /// `value` with exactly `digits` decimals, rounded half away from zero (`%.Nf`).
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        let scale = (0..<digits).reduce(1.0) { product, _ in product * 10 }
        let scaled = (abs(value) * scale).rounded()
        guard value.isFinite, scaled < 9e18 else { return "\(value)" }
        let total = UInt64(scaled)
        let unit = UInt64(scale)
        let fraction = String(total % unit)
        let sign = value < 0 && total != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(total) }
        return sign + String(total / unit) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// `text` right-aligned in `width` columns (`%Ns`).
    public static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `text` left-aligned in `width` columns (`%-Ns`).
    public static func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// Two lowercase hex digits (`%02x`).
    public static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
