import SocketTapeWire

/// A value of a JSON document this module writes (noise file, report), read back with errors
/// that name the value's JSON pointer.
struct DocumentValue {
    let value: JSONValue
    /// The value's JSON pointer in the document.
    let location: String

    /// Parses a whole document, which must be an object with `"version": supported`.
    static func root(parsing text: String, version supported: Int) throws(ReplayFileError) -> DocumentValue {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: text)
        } catch {
            throw ReplayFileError(location: "", reason: error.description)
        }
        let root = DocumentValue(value: document, location: "")
        guard document.objectValue != nil else { throw root.error("expected a JSON object") }
        let version = try root.member("version")
        switch version.value.intValue {
        case supported?: return root
        case let newer? where newer > supported:
            throw version.error("version \(newer) is newer than this sockettape reads (\(supported))")
        default:
            throw version.error("expected \(supported), got \(version.value.jsonText)")
        }
    }

    func error(_ reason: String) -> ReplayFileError {
        ReplayFileError(location: location, reason: reason)
    }

    /// The member `name` of this object.
    func member(_ name: String) throws(ReplayFileError) -> DocumentValue {
        guard let member = optionalMember(name) else { throw ReplayFileError(location: location + "/" + JSONPointer.escape(name), reason: "missing") }
        return member
    }

    /// The member `name` of this object; nil when it is missing or null.
    func optionalMember(_ name: String) -> DocumentValue? {
        guard let member = value.objectValue?[name], member != .null else { return nil }
        return DocumentValue(value: member, location: location + "/" + JSONPointer.escape(name))
    }

    func string() throws(ReplayFileError) -> String {
        guard let string = value.stringValue else { throw error("expected a string") }
        return string
    }

    /// A non-negative integer.
    func count() throws(ReplayFileError) -> Int {
        guard let count = value.intValue, count >= 0 else { throw error("expected a non-negative integer") }
        return count
    }

    func elements() throws(ReplayFileError) -> [DocumentValue] {
        guard let elements = value.arrayValue else { throw error("expected an array") }
        return elements.enumerated().map { DocumentValue(value: $1, location: "\(location)/\($0)") }
    }
}
