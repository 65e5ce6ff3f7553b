/// The two time notations of JSON Lines: `ts` (RFC 3339, UTC, microseconds) and `t` (exact seconds).
public enum TimeText {
    static let microsPerDay: Int64 = 86_400_000_000

    /// `2026-11-26T12:00:00.000001Z`. Years outside 0000–9999 get more digits (and a sign when negative).
    public static func timestamp(wallMicros: Int64) -> String {
        timestamp(wallMicros: wallMicros, fractionDigits: 6)
    }

    /// The same timestamp with `fractionDigits` (1–6) of the second, truncated:
    /// `2026-11-26T12:00:00.000Z` with 3 (HAR's `startedDateTime`).
    static func timestamp(wallMicros: Int64, fractionDigits: Int) -> String {
        var output = JSONOutput(capacity: 32)
        output.timestampPieces(wallMicros: wallMicros, fractionDigits: fractionDigits)
        return output.string
    }

    /// The `t` notation: `offsetNanos` as seconds, exact — `0.0`, `0.0123`, `12.000000001`.
    public static func seconds(offsetNanos: UInt64) -> String {
        var output = JSONOutput(capacity: 24)
        output.seconds(offsetNanos: offsetNanos)
        return output.string
    }

    /// Parses an RFC 3339 date-time (`Z` or `±hh:mm` offset, 0–9 fraction digits; digits after the
    /// sixth are dropped) into microseconds since the epoch.
    public static func wallMicros(timestamp text: String) -> Int64? {
        var scanner = Scanner(Array(text.utf8))
        let negativeYear = scanner.skip("-")
        guard let year = scanner.number(minDigits: 4, maxDigits: 6), scanner.skip("-"),
            let month = scanner.number(2), scanner.skip("-"), let day = scanner.number(2),
            scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(2), scanner.skip(":"), let minute = scanner.number(2), scanner.skip(":"),
            let second = scanner.number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction: Int64 = 0
        if scanner.skip(".") {
            let (digits, count) = scanner.digits()
            guard count > 0 else { return nil }
            fraction = count <= 6 ? digits * pow10(6 - count) : digits / pow10(count - 6)
        }
        var offsetMinutes: Int64 = 0
        if !(scanner.skip("Z") || scanner.skip("z")) {
            let sign: Int64 = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : 0
            guard sign != 0, let hours = scanner.number(2), scanner.skip(":"), let minutes = scanner.number(2) else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard scanner.atEnd else { return nil }
        let days = daysSinceEpoch(year: negativeYear ? -year : year, month: month, day: day)
        let (secondsOfDay, overflow) = ((hour * 60 + minute - offsetMinutes) * 60 + second).multipliedReportingOverflow(by: 1_000_000)
        let (dayMicros, overflow2) = days.multipliedReportingOverflow(by: microsPerDay)
        guard !overflow, !overflow2 else { return nil }
        let (sum, overflow3) = dayMicros.addingReportingOverflow(secondsOfDay + fraction)
        return overflow3 ? nil : sum
    }

    /// Parses a non-negative JSON number of seconds into nanoseconds, exactly for plain decimals
    /// (digits after the ninth fractional one are dropped); exponent forms go through `Double`.
    public static func offsetNanos(seconds text: String) -> UInt64? {
        var scanner = Scanner(Array(text.utf8))
        let (whole, count) = scanner.digits()
        if count > 0 {
            var fraction: Int64 = 0
            if scanner.skip(".") {
                let (digits, count) = scanner.digits(maxDigits: 9)
                guard count > 0 else { return nil }
                fraction = digits * pow10(9 - count)
                _ = scanner.digits()
            }
            if scanner.atEnd {
                let (nanos, overflow) = UInt64(whole).multipliedReportingOverflow(by: 1_000_000_000)
                let (sum, overflow2) = nanos.addingReportingOverflow(UInt64(fraction))
                return overflow || overflow2 ? nil : sum
            }
        }
        guard let value = Double(text), value >= 0, value < 1e10 else { return nil }
        return UInt64((value * 1e9).rounded())
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    private static func pow10(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { result, _ in result * 10 }
    }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = z.floorDiv(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`, the inverse of ``civil(daysSinceEpoch:)``.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = year.floorDiv(400)
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A cursor over ASCII text.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Up to `maxDigits` decimal digits and how many there were.
        mutating func digits(maxDigits: Int = 18) -> (value: Int64, count: Int) {
            var value: Int64 = 0
            var count = 0
            while index < bytes.count, count < maxDigits, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            return (value, count)
        }

        mutating func number(_ width: Int) -> Int64? { number(minDigits: width, maxDigits: width) }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            let (value, count) = digits(maxDigits: maxDigits)
            guard count >= minDigits else { return nil }
            return value
        }
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension JSONOutput {
    /// The `ts` value: an RFC 3339 timestamp, quoted.
    mutating func timestamp(wallMicros: Int64) {
        beginPieces()
        ascii("\"")
        timestampPieces(wallMicros: wallMicros)
        ascii("\"")
    }

    /// `2026-11-26T12:00:00.000001Z` (with `fractionDigits` 6), unquoted and without a separator.
    fileprivate mutating func timestampPieces(wallMicros: Int64, fractionDigits: Int = 6) {
        var (days, micros) = wallMicros.quotientAndRemainder(dividingBy: TimeText.microsPerDay)
        if micros < 0 { (days, micros) = (days - 1, micros + TimeText.microsPerDay) }
        let (year, month, day) = TimeText.civil(daysSinceEpoch: days)
        let seconds = UInt64(micros / 1_000_000)
        if year < 0 { ascii("-") }
        digits(year.magnitude, width: 4)
        ascii("-")
        digits(UInt64(month), width: 2)
        ascii("-")
        digits(UInt64(day), width: 2)
        ascii("T")
        digits(seconds / 3600, width: 2)
        ascii(":")
        digits(seconds / 60 % 60, width: 2)
        ascii(":")
        digits(seconds % 60, width: 2)
        ascii(".")
        let dropped = (0..<(6 - fractionDigits)).reduce(UInt64(1)) { result, _ in result * 10 }
        digits(UInt64(micros % 1_000_000) / dropped, width: fractionDigits)
        ascii("Z")
    }

    /// The `t` value: `offsetNanos` as seconds, exact — `0.0`, `0.0123`, `12.000000001`.
    mutating func seconds(offsetNanos: UInt64) {
        beginPieces()
        digits(offsetNanos / 1_000_000_000)
        ascii(".")
        var fraction = offsetNanos % 1_000_000_000
        var width = 9
        while width > 1, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        digits(fraction, width: width)
    }
}
