import NIOCore

extension TimeAmount {
    /// The amount as errors say it: `5 s`, `1.5 s`, `250 ms`.
    var spoken: String {
        let milliseconds = nanoseconds / 1_000_000
        guard milliseconds >= 1000 else { return "\(milliseconds) ms" }
        let seconds = milliseconds / 1000
        let rest = milliseconds % 1000
        guard rest != 0 else { return "\(seconds) s" }
        var fraction = String(rest)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction) s"
    }
}
