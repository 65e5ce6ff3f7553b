import ArgumentParser
import NIOCore
import NIOPosix
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire

/// How `replay` paces client messages (`--pacing`).
extension ReplayPacing: ExpressibleByArgument {}

/// `sockettape replay`: every recorded session becomes a new client of the target; what the
/// target answers is compared with what the server answered on the tape.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a tape's sessions against a server and compare its answers with the recording.",
        discussion: """
            Plain WebSocket sessions replay over a new WebSocket; Socket.io sessions replay as Socket.io, \
            with the replayer's own Engine.IO handshake, heartbeat and upgrade. Differences are named by \
            JSON pointer (docs/replay.md). Exit 0 when the target answered as recorded, 1 on differences \
            or failed sessions, 2 on bad usage or input. With --clients, --duration or --loop the replay is \
            a load test instead: it measures (README, "Load tests") and exits 1 when a session failed.
            """
    )

    @Argument(help: "The tape file.")
    var tape: String

    @Option(help: "Where to replay: ws://, wss://, http:// or https:// HOST:PORT[/prefix].")
    var target: String

    @Option(help: "recorded (original gaps, scaled by --speed), causal (wait for the server messages that came before; default) or asap.")
    var pacing: ReplayPacing = .causal

    @Option(help: "Divide recorded gaps by this (recorded pacing and session starts).")
    var speed: Double = 1

    @Option(help: "Replay only these sessions (comma-separated ids; repeatable).")
    var sessions: [String] = []

    @Option(help: "Replay only sessions with a message containing this text.")
    var grep: String?

    @Option(name: .customLong("header"), help: "NAME:VALUE: set this request header on every session (repeatable).")
    var headers: [String] = []

    @Option(help: "The Origin header of every session (instead of the recorded one).")
    var origin: String?

    @Option(help: "JSON: the Socket.IO CONNECT auth payload of every session (recorded ones are redacted by default).")
    var auth: String?

    @Option(help: "Ignore differences here: a JSON pointer (/args/0/ts, /items/*/id) or regex:PATTERN (repeatable).")
    var ignore: [String] = []

    @Option(help: "Capture a value the server hands out and put the new one into later client messages: a JSON pointer or regex:PATTERN (repeatable).")
    var capture: [String] = []

    @Option(help: "A configuration file whose replay: section adds ignore and capture rules.")
    var config: String?

    @Option(help: "Noise file (default: TAPE.noise.json when it exists).")
    var noise: String?

    @Flag(help: "Replay twice, save the fields that differ between the two runs as noise, then compare.")
    var learnNoise = false

    @Option(help: "Write the report as JSON here.")
    var report: String?

    @Option(help: "Write the report as JUnit XML here.")
    var junit: String?

    @Option(help: "PEM CA certificates to trust for a wss:// or https:// target.")
    var targetCa: String?

    @Option(help: "Seconds causal pacing waits for the server before sending anyway.")
    var causalTimeout: Double = 5

    @Option(help: "Seconds to wait for server messages still expected after the last client message.")
    var settle: Double = 2

    @Option(help: "Seconds the whole replay may take.")
    var timeout: Double = 300

    @OptionGroup(title: "Load test")
    var load: LoadArguments

    func run() async throws {
        let plan = try loadPlan()
        var configured = ReplayConfigRules()
        if let config { configured = try await ReplayConfigRules.load(config) }
        let captures = try configured.capture + capture.map { try Self.rule($0, flag: "--capture") }
        var rules = try comparisonRules(configured: configured.ignore)
        rules.captures = captures.pointerPatterns
        let job = try ReplayJob(
            plan: plan, target: target, options: replayOptions(), headers: headerArguments(), caFile: targetCa, captures: captures
        )
        if load.isLoadTest { return try await runLoad(job) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        defer { group.shutdownGracefully { _ in } }
        var compared = try await job.run(on: group)
        var rulesInUse = rules
        if learnNoise {
            let second = try await job.run(on: group)
            let learned = job.learnNoise(first: compared, second: second, rules: rules)
            try FileContents.write(learned.rules.fileText, to: noisePath)
            let fields = learned.rules.patterns.values.reduce(0) { $0 + $1.count }
            StandardError.write("sockettape: learned \(fields) noise field\(fields == 1 ? "" : "s") into \(noisePath)"
                + (learned.unstructured + learned.unpaired > 0
                    ? " (\(learned.unstructured) whole-message and \(learned.unpaired) unpaired differences cannot be noise)" : ""))
            rulesInUse.noise = learned.rules
            compared = second
        }
        for session in compared.outcomes {
            for note in session.notes { StandardError.write("sockettape: session \(session.session): \(note)") }
        }
        let outcome = job.compare(compared, rules: rulesInUse)
        print(TextReportRenderer.render(outcome), terminator: "")
        if let report { try FileContents.write(outcome.jsonText, to: report) }
        if let junit { try FileContents.write(JUnitReportRenderer.render(outcome, suite: tape), to: junit) }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    private var noisePath: String { noise ?? tape + ".noise.json" }

    private func loadPlan() throws -> ReplayPlan {
        var reader = try TapeInput.open(tape)
        var records: [TapeRecord] = []
        while let record = try reader.next(follow: false) { records.append(record) }
        TapeInput.reportDamage(of: reader, path: tape)
        let chosen = Set(sessions.flatMap { $0.split(separator: ",").map(String.init) })
        var plan = ReplayPlan(records: records).selecting(sessions: chosen.isEmpty ? nil : chosen, grep: grep)
        for skipped in plan.skipped {
            StandardError.write("sockettape: session \(skipped.session) not replayed: \(skipped.reason)")
        }
        if let auth {
            do throws(JSONSyntaxError) {
                plan = plan.replacingConnectAuth(with: try JSONValue(parsing: ByteBuffer(string: auth)))
            } catch {
                throw ValidationError("--auth: not JSON: \(error)")
            }
        }
        guard !plan.scripts.isEmpty else { throw ValidationError("\(tape): no session to replay") }
        return plan
    }

    private func comparisonRules(configured: [IgnoreRule]) throws -> ComparisonRules {
        let ignored = try configured + ignore.map { try Self.rule($0, flag: "--ignore") }
        var noiseRules = NoiseRules()
        if !learnNoise, let text = try FileContents.readIfPresent(noisePath, required: noise != nil) {
            do throws(ReplayFileError) {
                noiseRules = try NoiseRules(fileText: text)
            } catch {
                throw ValidationError("\(noisePath): \(error)")
            }
        }
        return ComparisonRules(ignore: ignored, noise: noiseRules)
    }

    /// A JSON pointer or `regex:` rule given to `flag`.
    private static func rule(_ text: String, flag: String) throws -> IgnoreRule {
        do throws(IgnoreRuleError) {
            return try IgnoreRule(parsing: text)
        } catch {
            throw ValidationError("\(flag) \(error)")
        }
    }

    private func replayOptions() -> ReplayOptions {
        var options = ReplayOptions()
        options.pacing = pacing
        options.speed = speed
        options.causalTimeout = .seconds(causalTimeout)
        options.settle = .seconds(settle)
        options.timeout = .seconds(timeout)
        return options
    }

    private func headerArguments() -> [String] {
        headers + (origin.map { ["Origin:\($0)"] } ?? [])
    }
}
