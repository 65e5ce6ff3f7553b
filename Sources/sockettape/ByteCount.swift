import ArgumentParser

/// A size on the command line: bytes, or with a K, M or G suffix (powers of 1024; `KiB`, `MB` and
/// the like are read the same way).
struct ByteCount: ExpressibleByArgument, Sendable {
    let bytes: Int

    init(_ bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
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

    static var defaultCompletionKind: CompletionKind { .default }
}
