extension JSONValue {
    /// This value with objects replaced, depth-first in document order: `replacement` is asked
    /// about every object; what it returns takes the object's place, and nil means keep the
    /// object and look inside it.
    func replacingObjects<Failure: Error>(
        _ replacement: (JSONObject) throws(Failure) -> JSONValue?
    ) throws(Failure) -> JSONValue {
        switch self {
        case .array(var elements):
            for index in elements.indices {
                elements[index] = try elements[index].replacingObjects(replacement)
            }
            return .array(elements)
        case .object(var object):
            if let replaced = try replacement(object) { return replaced }
            for index in object.members.indices {
                object.members[index].value = try object.members[index].value.replacingObjects(replacement)
            }
            return .object(object)
        default:
            return self
        }
    }
}
