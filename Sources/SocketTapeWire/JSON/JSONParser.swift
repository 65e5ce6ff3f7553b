/// The JSON parser behind ``JSONValue/init(parsing:)-(UnsafeRawBufferPointer)``: RFC 8259 over
/// UTF-8 bytes, recursive descent, one pass, no copy of the input.
///
/// Strict where JavaScript's `JSON.parse` is strict (no trailing commas, no leading zeros, no
/// single quotes, no comments); stricter in two places, because a Swift `String` cannot hold them:
/// invalid UTF-8 and `\u` escapes of lone surrogates are errors. Nesting deeper than
/// ``maxDepth`` is an error rather than a stack overflow. Every read of `bytes` is checked against
/// its count first: the input may be anything.
struct JSONParser {
    /// Arrays and objects nested deeper than this are rejected.
    static let maxDepth = 128

    private let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// One JSON value with optional whitespace around it, and nothing else.
    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        let value = try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? index, reason: reason)
    }

    /// The byte at `index`, or nil at the end.
    private var current: UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = current else { throw error("unexpected end of the text") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("unexpected \(describeByte(byte))")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { word in
            index + count <= bytes.count && (0..<count).allSatisfy { bytes[index + $0] == word[$0] }
        }
        guard matches else { throw error("invalid literal (expected \(word))") }
        index += count
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            case nil:
                throw error("unexpected end of the text in an array")
            default:
                throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maxDepth else { throw error("nested deeper than \(Self.maxDepth) levels") }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject())
        }
        var members: [JSONObject.Member] = []
        members.reserveCapacity(4)
        while true {
            guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(JSONObject(members))
            case nil:
                throw error("unexpected end of the text in an object")
            default:
                throw error("expected ',' or '}'")
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        switch current {
        case UInt8(ascii: "0"):
            index += 1
            if let next = current, Self.isDigit(next) { throw error("leading zero in a number") }
        case let digit? where Self.isDigit(digit):
            skipDigits()
        default:
            throw error("expected a digit")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw error("expected a digit in the exponent") }
            skipDigits()
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    /// A string starting at the opening quote at `index`. Runs without escapes (the usual case)
    /// become a `String` straight from the input.
    private mutating func string() throws(JSONSyntaxError) -> String {
        let quote = index
        index += 1
        let start = index
        var seen: UInt8 = 0
        // Eight bytes at a time while none of them ends the run (long event arguments are common).
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if Self.mayEndStringRun(word) { break }
            if word & 0x8080_8080_8080_8080 != 0 { seen |= 0x80 }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                if seen & 0x80 != 0 {
                    var validator = UTF8Validator()
                    guard validator.consume(run), validator.isComplete else { throw error("invalid UTF-8 in a string", at: quote) }
                }
                index += 1
                return String(decoding: run, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(quote: quote, runStart: start) }
            if byte < 0x20 { throw error("control character \(describeByte(byte)) in a string") }
            seen |= byte
            index += 1
        }
        throw error("unterminated string", at: quote)
    }

    /// Whether one of the eight bytes of `word` is a quote, a backslash or a control character.
    private static func mayEndStringRun(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte of `x` is below `n` (n ≤ 128) exactly when this sets its high bit (the classic SWAR test).
        func hasByteBelow(_ x: UInt64, _ n: UInt64) -> Bool { (x &- ones &* n) & ~x & highs != 0 }
        return hasByteBelow(word ^ (ones &* 0x22), 1) || hasByteBelow(word ^ (ones &* 0x5C), 1) || hasByteBelow(word, 0x20)
    }

    /// The rest of a string that has escapes: built up in a byte array from `runStart`.
    private mutating func escapedString(quote: Int, runStart: Int) throws(JSONSyntaxError) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - runStart + 16)
        utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // Escapes only add whole, valid scalars, so checking the result checks the raw runs.
                var validator = UTF8Validator()
                let valid = utf8.withUnsafeBytes { validator.consume($0) } && validator.isComplete
                guard valid else { throw error("invalid UTF-8 in a string", at: quote) }
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                Self.appendUTF8(try escape(), to: &utf8)
            case 0..<0x20:
                throw error("control character \(describeByte(byte)) in a string")
            default:
                utf8.append(byte)
                index += 1
            }
        }
        throw error("unterminated string", at: quote)
    }

    /// Reads the escape at `index` (a backslash) and returns the scalar it stands for.
    private mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let backslash = index
        index += 1
        guard let character = current else { throw error("unterminated string") }
        index += 1
        switch character {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4(escapeAt: backslash)
            if (0xD800..<0xDC00).contains(first), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "u")
            {
                let secondEscape = index
                index += 2
                let second = try hex4(escapeAt: secondEscape)
                guard (0xDC00..<0xE000).contains(second) else {
                    throw error("\\u\(Self.hex(first)) is not followed by a low surrogate", at: backslash)
                }
                if let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) { return scalar }
            }
            guard let scalar = Unicode.Scalar(first) else { throw error("lone surrogate \\u\(Self.hex(first))", at: backslash) }
            return scalar
        default:
            throw error("invalid escape: \(describeByte(character)) after a backslash", at: backslash)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Four hex digits after `\u`.
    private mutating func hex4(escapeAt backslash: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error("unterminated \\u escape", at: backslash) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: \(describeByte(byte)) is not a hex digit")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(truncatingIfNeeded: value))
        case 0x80..<0x800:
            bytes.append(0xC0 | UInt8(truncatingIfNeeded: value >> 6))
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value) & 0x3F)
        case 0x800..<0x10000:
            bytes.append(0xE0 | UInt8(truncatingIfNeeded: value >> 12))
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value >> 6) & 0x3F)
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value) & 0x3F)
        default:
            bytes.append(0xF0 | UInt8(truncatingIfNeeded: value >> 18))
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value >> 12) & 0x3F)
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value >> 6) & 0x3F)
            bytes.append(0x80 | UInt8(truncatingIfNeeded: value) & 0x3F)
        }
    }
}
