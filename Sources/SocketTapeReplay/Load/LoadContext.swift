import NIOCore
import SocketTapeTape
import SocketTapeWire

/// What every event loop of a load test shares, read-only: the scripts ready for cloning and how
/// to make one clone's session.
struct LoadContext: Sendable {
    let options: ReplayOptions
    let load: LoadOptions
    let scripts: [LoadScript]
    let connector: ReplayConnector
    let captures: [IgnoreRule]
    private let webSocket: WebSocketClientOptions
    /// Whether a `--header` value holds a placeholder.
    private let templatedHeaders: Bool

    /// - Throws: ``ReplayConfigurationError`` when a `--header` value with a placeholder is not a
    ///   valid header value for one of the sessions.
    init(job: ReplayJob, load: LoadOptions) throws(ReplayConfigurationError) {
        options = job.options
        self.load = load
        scripts = job.plan.scripts.map(LoadScript.init)
        connector = job.connector
        captures = job.captures
        webSocket = job.webSocketOptions
        templatedHeaders = job.webSocketOptions.headerOverrides.fields.contains { CloneIdentity.hasPlaceholder($0.value) }
        if templatedHeaders {
            for script in job.plan.scripts {
                _ = try Self.headers(webSocket.headerOverrides, for: CloneIdentity(clone: 0, session: script.session))
            }
        }
    }

    /// The connection settings of one clone: its `--header` values with the placeholders replaced.
    func webSocketOptions(for identity: CloneIdentity) -> WebSocketClientOptions {
        guard templatedHeaders else { return webSocket }
        var options = webSocket
        // Checked for every session when the run was set up; clone numbers are digits.
        options.headerOverrides = (try? Self.headers(webSocket.headerOverrides, for: identity)) ?? webSocket.headerOverrides
        return options
    }

    /// The Socket.IO CONNECT auth of clone `clone` (`--auth-list`), or nil to keep the script's.
    func auth(for clone: Int) -> JSONValue? {
        load.authList.isEmpty ? nil : load.authList[clone % load.authList.count]
    }

    /// Causal pacing within one session: in a load test sessions start, loop and stop on their
    /// own, so a client message waits only for its own session's earlier server messages.
    func clock(for script: ReplayScript) -> CausalClock? {
        options.pacing == .causal ? CausalClock(plan: ReplayPlan(scripts: [script], skipped: [])) : nil
    }

    /// `--capture` within one session (clones do not share what they learn).
    func captureBook() -> CaptureBook? {
        captures.isEmpty ? nil : CaptureBook(rules: captures)
    }

    private static func headers(_ overrides: ReplayHeaderOverrides, for identity: CloneIdentity) throws(ReplayConfigurationError) -> ReplayHeaderOverrides {
        try ReplayHeaderOverrides(overrides.fields.map { HeaderField($0.name, identity.apply(to: $0.value)) })
    }
}
