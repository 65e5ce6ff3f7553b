import NIOCore
import SocketTapeWire

/// Structural comparison of two JSON values, every difference named by its path.
///
/// Objects are compared by member name, in any order (a name given twice counts once, with its
/// last value, as `JSON.parse` reads it); arrays element by element, plus one
/// ``DifferenceKind/arrayLength`` difference when their lengths differ; numbers by value (`1.0`
/// equals `1`; integers exactly, whatever their size); `{"$bytes":…}` attachments by their bytes.
enum JSONDiffer {
    /// Appends the differences between `expected` and `actual`, found at `path`, in document
    /// order: the recording's members first, then the members only the target sent.
    static func differences(_ expected: JSONValue, _ actual: JSONValue, at path: JSONPath, into differences: inout [Difference]) {
        switch (expected, actual) {
        case (.object(let left), .object(let right)):
            if let left = attachment(left), let right = attachment(right) {
                if left != right {
                    let excerpt = Excerpt.bytes(left, right)
                    differences.append(Difference(path: path, kind: .bytes, expected: excerpt.expected, actual: excerpt.actual, offset: excerpt.offset))
                }
                return
            }
            objectDifferences(left, right, at: path, into: &differences)
        case (.array(let left), .array(let right)):
            if left.count != right.count {
                differences.append(Difference(path: path, kind: .arrayLength, expected: String(left.count), actual: String(right.count)))
            }
            for index in 0..<min(left.count, right.count) {
                Self.differences(left[index], right[index], at: path.appending(index: index), into: &differences)
            }
        case (.string(let left), .string(let right)):
            guard left != right else { return }
            let excerpt = Excerpt.strings(left, right)
            differences.append(Difference(path: path, kind: .changed, expected: excerpt.expected, actual: excerpt.actual, offset: excerpt.offset))
        case (.number(let left), .number(let right)):
            guard !numbersEqual(left, right) else { return }
            differences.append(Difference(path: path, kind: .changed, expected: Excerpt.cut(left), actual: Excerpt.cut(right)))
        case (.bool(let left), .bool(let right)):
            guard left != right else { return }
            differences.append(Difference(path: path, kind: .changed, expected: String(left), actual: String(right)))
        case (.null, .null):
            return
        default:
            differences.append(
                Difference(path: path, kind: .typeChanged, expected: typed(expected), actual: typed(actual))
            )
        }
    }

    private static func objectDifferences(_ left: JSONObject, _ right: JSONObject, at path: JSONPath, into differences: inout [Difference]) {
        let leftIndex = lastIndexes(left)
        let rightIndex = lastIndexes(right)
        for (index, member) in left.enumerated() where leftIndex[member.key] == index {
            let memberPath = path.appending(member: member.key)
            if let other = rightIndex[member.key] {
                Self.differences(member.value, right[other].value, at: memberPath, into: &differences)
            } else {
                differences.append(Difference(path: memberPath, kind: .missingMember, expected: Excerpt.json(member.value), actual: nil))
            }
        }
        for (index, member) in right.enumerated() where rightIndex[member.key] == index && leftIndex[member.key] == nil {
            differences.append(
                Difference(path: path.appending(member: member.key), kind: .unexpectedMember, expected: nil, actual: Excerpt.json(member.value))
            )
        }
    }

    /// The position of the last member of each name.
    private static func lastIndexes(_ object: JSONObject) -> [String: Int] {
        var indexes: [String: Int] = [:]
        indexes.reserveCapacity(object.count)
        for (index, member) in object.enumerated() { indexes[member.key] = index }
        return indexes
    }

    /// The bytes of a `{"$bytes":"<base64>"}` attachment.
    private static func attachment(_ object: JSONObject) -> ByteBuffer? {
        guard object.count == 1, object[0].key == "$bytes", let base64 = object[0].value.stringValue else { return nil }
        return try? Base64.decode(base64)
    }

    /// Whether two JSON numbers, given as written, are the same number.
    static func numbersEqual(_ left: String, _ right: String) -> Bool {
        if left == right { return true }
        let isInteger = { (text: String) in !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } }
        if isInteger(left), isInteger(right) {
            // Only `-0` and `0` are the same integer written differently.
            return left.trimmingPrefix("-") == "0" && right.trimmingPrefix("-") == "0"
        }
        guard let left = Double(left), let right = Double(right) else { return false }
        return left == right
    }

    /// `number 3`, `string "3"`, `object {"a":1}`, `null`: a value with its type's name.
    static func typed(_ value: JSONValue) -> String {
        value == .null ? "null" : "\(typeName(value)) \(Excerpt.json(value))"
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
