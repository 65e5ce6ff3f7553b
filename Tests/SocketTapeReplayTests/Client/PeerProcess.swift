import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A peer server for one test: a child process that prints `listening on 127.0.0.1:PORT`
/// (or, for `python3 -m http.server`, `Serving HTTP on 127.0.0.1 port PORT`), killed by PID.
final class PeerProcess {
    /// The repository root (this file is Tests/SocketTapeReplayTests/Client/PeerProcess.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python of the repository's `.venv` (made by scripts/setup-test-deps.sh), with the peers' packages.
    static let python = repository.appendingPathComponent(".venv/bin/python").path

    /// The path of a file in Fixtures/peers.
    static func fixture(_ name: String) -> String {
        repository.appendingPathComponent("Fixtures/peers/\(name)").path
    }

    let port: Int
    private let pid: pid_t
    private let process: Process

    /// Starts `arguments[0]` with the rest as its arguments and waits (at most 30 s) for its port.
    ///
    /// Waiting sleeps between polls instead of blocking: tests run on the few threads of the
    /// cooperative pool, and a blocked one holds up the other tests.
    init(_ arguments: [String], stderrPath: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.filter {
            !["http_proxy", "https_proxy", "all_proxy", "no_proxy"].contains($0.key.lowercased())
        }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        self.process = process
        pid = process.processIdentifier
        do {
            port = try await Self.readPort(from: stdout.fileHandleForReading.fileDescriptor, of: arguments, stderrPath: stderrPath)
        } catch {
            await Self.stop(pid, process)
            throw error
        }
    }

    /// Kills the peer (SIGKILL) and waits for it to exit.
    ///
    /// Not SIGTERM: the test runner's threads block it, and Foundation's `Process` passes that
    /// signal mask on to the child, where SIGTERM then stays pending for ever. The peers write
    /// their logs line by line, so nothing is lost.
    func stop() async {
        await Self.stop(pid, process)
    }

    private static func stop(_ pid: pid_t, _ process: Process) async {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        await waitForExit(process, seconds: 10)
    }

    private static func readPort(from descriptor: Int32, of arguments: [String], stderrPath: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        var output = ""
        while Date() < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { break }
            output += String(decoding: chunk[..<count], as: UTF8.self)
            for line in output.split(separator: "\n") {
                if let port = port(in: line) { return port }
            }
        }
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw PeerError(description: "\(arguments.joined(separator: " ")) printed no port; stdout: \(output) stderr: \(stderr.suffix(2000))")
    }

    private static func port(in line: Substring) -> Int? {
        for prefix in ["listening on 127.0.0.1:", "Serving HTTP on 127.0.0.1 port "] where line.hasPrefix(prefix) {
            return Int(line.dropFirst(prefix.count).prefix(while: \.isNumber))
        }
        return nil
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

/// Waits (sleeping, at most `seconds`) until `process` has exited.
func waitForExit(_ process: Process, seconds: Int) async {
    for _ in 0..<(seconds * 50) where process.isRunning {
        try? await Task.sleep(for: .milliseconds(20))
    }
}

/// Runs `body` with a peer started for it, and stops the peer afterwards, also when `body` throws.
func withPeer<Result>(
    _ arguments: [String],
    in directory: URL,
    _ body: (PeerProcess) async throws -> Result
) async throws -> Result {
    let name = URL(fileURLWithPath: arguments.dropFirst().first ?? arguments[0]).lastPathComponent
    let peer = try await PeerProcess(arguments, stderrPath: directory.appendingPathComponent("\(name).stderr").path)
    do {
        let result = try await body(peer)
        await peer.stop()
        return result
    } catch {
        await peer.stop()
        throw error
    }
}

/// The JSON lines an echo peer wrote to its `--log`, waiting (at most 10 s) until `done` holds for them.
func readLog(_ path: URL, until done: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
    var entries: [[String: Any]] = []
    for _ in 0..<200 {
        let text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        entries = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        if done(entries) { return entries }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw PeerError(description: "log \(path.path) never got what the test waited for: \(entries)")
}
