/// `--shard i/n`: this machine's part of a load test that `n` machines run together.
///
/// The run's session instances are numbered in order — clone `k` of the plan's session `s` is
/// instance `k × S + s` for a plan of `S` sessions — and shard `i` (1-based) takes the instances
/// whose number mod `n` is `i − 1`. Numbering instances rather than the tape's sessions splits a
/// one-session tape with `--clients 5000` evenly too; clone numbers (`{clone}`) stay those of the
/// whole run, so identities do not collide across machines.
public struct LoadShard: Sendable, Equatable, CustomStringConvertible {
    /// 1 ... ``count``.
    public let index: Int
    public let count: Int

    /// Parses `i/n` with 1 ≤ i ≤ n.
    ///
    /// - Throws: ``ReplayConfigurationError`` naming `--shard`.
    public init(parsing text: String) throws(ReplayConfigurationError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
            throw ReplayConfigurationError("--shard '\(text)': expected i/n with 1 ≤ i ≤ n, such as 1/4")
        }
        self.index = index
        self.count = count
    }

    /// Whether this shard runs the instance numbered `instance` (0-based).
    public func contains(_ instance: Int) -> Bool {
        instance % count == index - 1
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }
}
