import SocketTapeWire

/// One-line JSON for the CLI's own reports (summaries, session listings), keys sorted.
///
/// Reports are built as `[String: Any]` trees of strings, integers, doubles, booleans, arrays,
/// dictionaries and ``null``; small, so dynamic casts cost nothing that matters.
enum JSONText {
    /// JSON `null` in a report.
    struct Null {}
    static let null = Null()

    static func object(_ object: [String: Any]) -> String {
        var text = ""
        write(object, to: &text)
        return text
    }

    private static func write(_ value: Any, to text: inout String) {
        switch value {
        case is Null:
            text += "null"
        case let flag as Bool:
            text += flag ? "true" : "false"
        case let string as String:
            text += JSONValue.string(string).jsonText
        case let number as Int:
            text += String(number)
        case let number as UInt64:
            text += String(number)
        case let number as Double:
            text += number.isFinite ? "\(number)" : "null"
        case let object as [String: Any]:
            text += "{"
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                text += JSONValue.string(key).jsonText + ":"
                write(object[key]!, to: &text)
            }
            text += "}"
        case let array as [Any]:
            text += "["
            for (index, element) in array.enumerated() {
                if index > 0 { text += "," }
                write(element, to: &text)
            }
            text += "]"
        default:
            // An optional: null, or what it wraps.
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value { write(wrapped, to: &text) } else { text += "null" }
            } else {
                text += JSONValue.string("\(value)").jsonText
            }
        }
    }
}
