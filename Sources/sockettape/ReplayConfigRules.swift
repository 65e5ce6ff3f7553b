import ArgumentParser
import SocketTapePolicy
import SocketTapeReplay

/// The `replay:` section of a configuration file, checked: its rules parsed by the replay's
/// rule syntax, every problem as `FILE:LINE:COLUMN: replay.ignore[0]: …`.
struct ReplayConfigRules {
    var ignore: [IgnoreRule] = []
    var capture: [IgnoreRule] = []

    /// Parses the section; the problems found, with `file`, in file order.
    static func parse(_ texts: ReplayRuleTexts, file: String) -> Result<ReplayConfigRules, ConfigurationError> {
        var rules = ReplayConfigRules()
        var problems: [ConfigurationError.Problem] = []
        func parse(_ rule: ReplayRuleTexts.Rule) -> IgnoreRule? {
            do throws(IgnoreRuleError) {
                return try IgnoreRule(parsing: rule.text)
            } catch {
                problems.append(.init(file: file, line: rule.line, column: rule.column, message: "\(rule.path): \(error)"))
                return nil
            }
        }
        rules.ignore = texts.ignore.compactMap(parse)
        rules.capture = texts.capture.compactMap(parse)
        return problems.isEmpty ? .success(rules) : .failure(ConfigurationError(problems: problems))
    }

    /// Reads and checks `file`'s `replay:` section (and the rest of it), or prints every problem
    /// on stderr and exits 2.
    static func load(_ file: String) async throws -> ReplayConfigRules {
        do throws(ConfigurationError) {
            let configuration = try await PolicyConfiguration.load(path: file)
            return try parse(configuration.replay, file: file).get()
        } catch {
            for problem in error.problems { StandardError.write(problem.description) }
            throw ExitCode(2)
        }
    }
}
