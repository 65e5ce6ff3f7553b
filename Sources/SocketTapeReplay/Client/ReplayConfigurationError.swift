/// A replay setting that cannot be used: a bad `--target`, a host that does not resolve, an
/// unreadable CA file. The description is one line that names the setting.
public struct ReplayConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }

    /// A `--target` URL that cannot be used.
    static func target(_ url: String, _ problem: String) -> Self {
        Self("--target: '\(url)' \(problem)")
    }
}
