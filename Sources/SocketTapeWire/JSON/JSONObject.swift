/// The members of a JSON object, in the order they were written.
///
/// Duplicate names are kept, in order, so a document re-encodes as it was; the name subscript
/// returns the last one, as JavaScript's `JSON.parse` would. Lookups are linear, which suits the
/// small objects of wire protocols.
public struct JSONObject: Sendable, Equatable, RandomAccessCollection {
    public typealias Member = (key: String, value: JSONValue)

    /// The members in order.
    public var members: [Member]

    public init(_ members: [Member] = []) {
        self.members = members
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    /// The value of the last member named `key`. Setting replaces that member's value in place
    /// or appends a new member; setting nil removes every member of that name.
    public subscript(key: String) -> JSONValue? {
        get {
            members.last { $0.key == key }?.value
        }
        set {
            guard let newValue else {
                members.removeAll { $0.key == key }
                return
            }
            if let index = members.lastIndex(where: { $0.key == key }) {
                members[index].value = newValue
            } else {
                members.append((key, newValue))
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral members: (String, JSONValue)...) {
        self.init(members.map { (key: $0.0, value: $0.1) })
    }
}
