import ArgumentParser

/// A size on the command line: bytes, or with a K, M or G suffix (powers of 1024; `KiB`, `MB` and
/// the like are read the same way).
struct ByteCount: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let bytes: Int

    init(_ bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.filter { $0 != " " && $0 != "\t" }.uppercased()
        let digits = text.prefix { $0.isNumber }
        var unit = text.dropFirst(digits.count)
        for suffix in ["IB", "B"] where unit.hasSuffix(suffix) {
            unit = unit.dropLast(suffix.count)
            break
        }
        let shifts: [Substring: Int] = ["": 0, "K": 10, "M": 20, "G": 30]
        guard let value = Int(digits), let shift = shifts[unit], value <= Int.max >> shift else { return nil }
        self.bytes = value << shift
    }

    /// The shortest exact spelling: `16M`, `64K`, `1000`.
    var description: String {
        for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] where bytes != 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
