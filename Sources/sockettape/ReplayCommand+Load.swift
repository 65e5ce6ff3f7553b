import ArgumentParser
import NIOCore
import NIOPosix
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire

extension ReplayCommand {
    /// Runs `job` as a load test: measures, prints the load report, writes `--report` and
    /// `--html`; exit status 1 when a session failed.
    func runLoad(_ job: ReplayJob) async throws {
        if learnNoise || junit != nil {
            throw ValidationError("\(learnNoise ? "--learn-noise" : "--junit") is for regression replays, not load tests (--clients, --duration, --loop)")
        }
        // A ReplayConfigurationError names its flag; it exits 2 like a ValidationError.
        let run = try LoadRun(job: job, load: try loadOptions())
        if let startAt = load.startAt { try await Self.wait(until: startAt) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: load.eventLoops ?? System.coreCount)
        defer { group.shutdownGracefully { _ in } }
        let interrupt = ShutdownSignal.install()
        Task { await interrupt.wait(); run.stop() }
        let progress = LoadProgressLine(requested: load.progress)
        var outcome = try await run.run(on: group) { progress.show($0) }
        progress.finish()
        outcome.setup.tape = tape
        print(LoadTextRenderer.render(outcome), terminator: "")
        if let report { try FileContents.write(outcome.jsonText, to: report) }
        if let html = load.html { try FileContents.write(LoadHTMLRenderer.render(outcome), to: html) }
        if outcome.exitStatus != 0 { throw ExitCode(Int32(outcome.exitStatus)) }
    }

    private func loadOptions() throws -> LoadOptions {
        var options = LoadOptions()
        options.clients = load.clients ?? 1
        options.rampUp = .nanoseconds(Int64(load.rampUp * 1e9))
        options.duration = load.duration.map { .nanoseconds(Int64($0 * 1e9)) }
        options.loop = load.loop
        options.shard = try load.shard.map { (shard) throws(ReplayConfigurationError) in try LoadShard(parsing: shard) }
        if let file = load.authList { options.authList = try Self.authList(file) }
        return options
    }

    /// `--auth-list FILE`: a JSON value per non-empty line.
    private static func authList(_ file: String) throws -> [JSONValue] {
        let text = try FileContents.readIfPresent(file, required: true) ?? ""
        var payloads: [JSONValue] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            do throws(JSONSyntaxError) {
                payloads.append(try JSONValue(parsing: line))
            } catch {
                throw ValidationError("--auth-list \(file):\(index + 1): not JSON: \(error)")
            }
        }
        guard !payloads.isEmpty else { throw ValidationError("--auth-list \(file): no auth payload in the file") }
        return payloads
    }

    /// Sleeps until `--start-at`: an RFC 3339 time or Unix seconds.
    private static func wait(until text: String) async throws {
        let target = TimeText.wallMicros(timestamp: text) ?? Double(text).flatMap { $0.isFinite ? Int64($0 * 1e6) : nil }
        guard let target else {
            throw ValidationError("--start-at '\(text)': expected an RFC 3339 time (2026-11-27T12:00:00Z) or Unix seconds")
        }
        let wait = target - TapeClock().startWallMicros
        if wait > 0 {
            try await Task.sleep(nanoseconds: UInt64(wait) * 1000)
        } else if wait < -1_000_000 {
            StandardError.write("sockettape: --start-at \(text) was \(-wait / 1_000_000) s ago; starting now")
        }
    }
}
