import SocketTapeWire

/// HAR's time notations: `startedDateTime` (ISO 8601, milliseconds) and DevTools' message `time`
/// (seconds since the epoch as a JSON number, here with exactly six fractional digits).
enum HARTime {
    /// `2026-11-26T12:00:00.123Z`.
    static func startedDateTime(wallMicros: Int64) -> JSONValue {
        .string(TimeText.timestamp(wallMicros: wallMicros, fractionDigits: 3))
    }

    /// `1795000000.000001`: the wall clock in seconds, exact to the microsecond.
    static func epochSeconds(wallMicros: Int64) -> JSONValue {
        let (seconds, micros) = wallMicros.magnitude.quotientAndRemainder(dividingBy: 1_000_000)
        let digits = String(micros)
        let fraction = String(repeating: "0", count: 6 - digits.count) + digits
        return .number("\(wallMicros < 0 ? "-" : "")\(seconds).\(fraction)")
    }

    /// Parses `time` (a JSON number of seconds since the epoch) into microseconds: plain decimals
    /// exactly (digits after the sixth fractional one are dropped), exponent forms through `Double`.
    static func wallMicros(epochSeconds text: String) -> Int64? {
        let negative = text.hasPrefix("-")
        let parts = text.dropFirst(negative ? 1 : 0).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? parts[1].prefix(6) : ""
        guard let whole = Int64(parts[0]), parts[0].allSatisfy(\.isASCII), parts.count == 1 || parts[1].allSatisfy(\.isWholeNumber),
              let fractionValue = Int64(fraction.isEmpty ? "0" : fraction)
        else {
            guard let seconds = Double(text), abs(seconds) < 9e12 else { return nil }
            return Int64((seconds * 1e6).rounded())
        }
        let scaled = (0..<(6 - fraction.count)).reduce(fractionValue) { value, _ in value * 10 }
        let (micros, overflow) = whole.multipliedReportingOverflow(by: 1_000_000)
        let (sum, overflow2) = micros.addingReportingOverflow(scaled)
        guard !overflow, !overflow2 else { return nil }
        return negative ? -sum : sum
    }

    /// The JSON Lines `t` notation as a number (exact seconds from the tape's start).
    static func offset(_ nanos: UInt64) -> JSONValue {
        .number(TimeText.seconds(offsetNanos: nanos))
    }
}
