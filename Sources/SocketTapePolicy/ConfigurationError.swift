/// Every problem found in a configuration file (not just the first), each with its place.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// One thing wrong, at a 1-based line and column (0 and 0 when it concerns the whole file,
    /// such as a file that cannot be read).
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String

        public init(file: String, line: Int, column: Int, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
        }

        /// `FILE:LINE:COLUMN: message` (`FILE: message` without a place).
        public var description: String {
            line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
        }
    }

    /// In the order of the file.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// One `FILE:LINE:COLUMN: message` line per problem.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
