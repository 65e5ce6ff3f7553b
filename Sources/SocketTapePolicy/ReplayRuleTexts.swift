/// The `replay:` section of a configuration file: ignore and capture rules for
/// `sockettape replay --config FILE`, kept as written with where they stand, since their syntax
/// (JSON pointers, `regex:`) is the replay module's to check.
public struct ReplayRuleTexts: Sendable, Equatable {
    /// One rule as written, and where.
    public struct Rule: Sendable, Equatable {
        public var text: String
        /// `replay.ignore[2]`, for messages.
        public var path: String
        public var line: Int
        public var column: Int

        public init(text: String, path: String, line: Int, column: Int) {
            self.text = text
            self.path = path
            self.line = line
            self.column = column
        }
    }

    /// `replay.ignore`: differences not to count.
    public var ignore: [Rule] = []
    /// `replay.capture`: values to capture from server messages for later client messages.
    public var capture: [Rule] = []

    public init(ignore: [Rule] = [], capture: [Rule] = []) {
        self.ignore = ignore
        self.capture = capture
    }
}
