#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// The `sockettape` command: record, inspect, convert and replay real-time traffic.
struct SocketTape: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sockettape",
        abstract: "Record-and-replay proxy for WebSocket and Socket.io traffic.",
        discussion: "Exit codes: 0 success; 1 the job ran and found a problem; 2 bad usage, config or input.",
        subcommands: [ProxyCommand.self, CaptureCommand.self, InspectCommand.self, ExportCommand.self, ImportCommand.self, ReplayCommand.self, ReportCommand.self, CheckConfigCommand.self]
    )
}

@main
enum Main {
    /// Runs the command and maps every failure onto the exit codes users script against:
    /// 0 success, 1 a problem found by the job (thrown as `ExitCode(1)`), 2 anything else.
    static func main() async {
        do {
            var command = try SocketTape.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let message = SocketTape.fullMessage(for: error)
            if SocketTape.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            StandardError.write("sockettape: \(message)")
            exit(2)
        }
    }
}
