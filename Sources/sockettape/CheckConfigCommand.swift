import ArgumentParser
import SocketTapePolicy

/// `sockettape check-config`: validates a `--config` file without starting anything.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a policy configuration file (rate limits, validation, authentication) and report every problem.",
        discussion: """
            Prints "FILE: ok (N limits, M event rules[, JWT authentication with K keys])" and exits 0, or prints one \
            "FILE:LINE:COLUMN: message" line per problem on stderr and exits 2.
            """
    )

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() async throws {
        let policy: PolicyConfiguration
        do throws(ConfigurationError) {
            policy = try await PolicyConfiguration.load(path: file)
        } catch {
            for problem in error.problems {
                StandardError.write(problem.description)
            }
            throw ExitCode(2)
        }
        if case .failure(let error) = ReplayConfigRules.parse(policy.replay, file: file) {
            for problem in error.problems { StandardError.write(problem.description) }
            throw ExitCode(2)
        }
        let limits = policy.limits.count
        let events = policy.validation.events.count
        var summary = "\(limits) limit\(limits == 1 ? "" : "s"), \(events) event rule\(events == 1 ? "" : "s")"
        if let jwt = policy.authentication {
            let keys = Set(jwt.verifier.keys.keys.map(\.origin)).count
            summary += ", JWT authentication with \(keys) key\(keys == 1 ? "" : "s")"
        }
        let replayRules = policy.replay.ignore.count + policy.replay.capture.count
        if replayRules > 0 {
            summary += ", \(replayRules) replay rule\(replayRules == 1 ? "" : "s")"
        }
        print("\(file): ok (\(summary))")
    }
}
