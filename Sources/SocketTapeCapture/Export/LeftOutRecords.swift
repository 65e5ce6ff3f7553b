/// The records a synthesised capture has no packets for, counted by kind.
public struct LeftOutRecords: Sendable, Equatable, CustomStringConvertible {
    /// Kind name (`policy`, `gap`, …) and count, in the order the kinds were first met.
    public private(set) var counts: [(kind: String, count: Int)] = []

    public init() {}

    /// How many records were left out.
    public var total: Int { counts.reduce(0) { $0 + $1.count } }

    mutating func add(_ kind: String) {
        if let index = counts.firstIndex(where: { $0.kind == kind }) {
            counts[index].count += 1
        } else {
            counts.append((kind, 1))
        }
    }

    /// `2 policy, 1 gap`.
    public var description: String {
        counts.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    }

    public static func == (lhs: LeftOutRecords, rhs: LeftOutRecords) -> Bool {
        lhs.counts.elementsEqual(rhs.counts) { $0.kind == $1.kind && $0.count == $1.count }
    }
}
