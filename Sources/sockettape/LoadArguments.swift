import ArgumentParser

/// The `replay` flags of a load test (README, "Load tests"). Any of `--clients`, `--duration` and
/// `--loop` makes the replay a load test: it measures instead of comparing.
struct LoadArguments: ParsableArguments {
    @Option(help: "Load test: run N copies of each session, each its own connection.")
    var clients: Int?

    @Option(help: "Load test: spread the starts of the copies over this many seconds.")
    var rampUp: Double = 0

    @Option(help: "Load test: stop after this many seconds (sessions still going close with 1000).")
    var duration: Double?

    @Flag(help: "Load test: start each session again when it ends, until --duration.")
    var loop = false

    @Option(help: "Load test: i/n, run this machine's part of the sessions of an n-machine test.")
    var shard: String?

    @Option(help: "Load test: wait until this time to start: RFC 3339 (2026-11-27T12:00:00Z) or Unix seconds.")
    var startAt: String?

    @Option(help: "Load test: a file of Socket.IO CONNECT auth payloads, one JSON per line; copy k sends line k mod count.")
    var authList: String?

    @Option(help: "Load test: write the report as a self-contained HTML page here.")
    var html: String?

    @Option(help: "Load test: event loop threads (default: one per core).")
    var eventLoops: Int?

    @Flag(help: "Load test: print a progress line on stderr every second (always when stderr is a terminal).")
    var progress = false

    /// Whether the replay is a load test.
    var isLoadTest: Bool { clients != nil || duration != nil || loop }

    func validate() throws {
        if let clients, clients < 1 { throw ValidationError("--clients must be at least 1") }
        if let eventLoops, eventLoops < 1 { throw ValidationError("--event-loops must be at least 1") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0 seconds") }
        if !(rampUp >= 0) { throw ValidationError("--ramp-up must be 0 or more seconds") }
        if loop, duration == nil { throw ValidationError("--loop needs --duration (when to stop)") }
        if !isLoadTest {
            let given = [("--ramp-up", rampUp != 0), ("--shard", shard != nil), ("--start-at", startAt != nil),
                         ("--auth-list", authList != nil), ("--html", html != nil), ("--event-loops", eventLoops != nil),
                         ("--progress", progress)]
            if let flag = given.first(where: \.1)?.0 {
                throw ValidationError("\(flag) is for load tests: give --clients, --duration or --loop too")
            }
        }
    }
}
