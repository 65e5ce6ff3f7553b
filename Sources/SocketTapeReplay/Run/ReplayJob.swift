import NIOCore

/// A replay as the `replay` command runs it: a plan, a target, and how to compare.
public struct ReplayJob: Sendable {
    public let plan: ReplayPlan
    public let options: ReplayOptions
    private let connector: ReplayConnector
    private let webSocketOptions: WebSocketClientOptions

    /// Checks the target and headers and resolves the target's host (blocking: call before the
    /// event loops run).
    ///
    /// - Throws: ``ReplayConfigurationError`` naming the flag at fault.
    public init(plan: ReplayPlan, target: String, options: ReplayOptions, headers: [String], caFile: String?) throws(ReplayConfigurationError) {
        self.plan = plan
        self.options = options
        connector = try ReplayConnector(
            target: ReplayTarget(parsing: target), tls: ReplayTLSOptions(caFile: caFile), connectTimeout: options.connectTimeout
        )
        var webSocketOptions = WebSocketClientOptions()
        webSocketOptions.headerOverrides = try ReplayHeaderOverrides(parsing: headers)
        webSocketOptions.handshakeTimeout = options.connectTimeout
        self.webSocketOptions = webSocketOptions
    }

    /// Replays every session once; the outcomes in plan order.
    public func run(on group: any EventLoopGroup) async throws -> [SessionOutcome] {
        try await ReplayRun(plan: plan, options: options).run(on: group, using: connector, options: webSocketOptions).get()
    }

    /// Compares a run's outcomes with the recording.
    public func compare(_ outcomes: [SessionOutcome], rules: ComparisonRules) -> ReplayReport {
        ReplayComparator(rules: rules).compare(observations(outcomes))
    }

    /// The fields that differ between two runs of the same sessions (`--learn-noise`).
    public func learnNoise(first: [SessionOutcome], second: [SessionOutcome], rules: ComparisonRules) -> LearnedNoise {
        let samples = zip(observations(first), observations(second)).map { first, second in
            NoiseSample(session: first.session, first: first.actual, second: second.actual)
        }
        return NoiseLearner.learn(samples, captures: rules.captures)
    }

    private func observations(_ outcomes: [SessionOutcome]) -> [SessionObservation] {
        zip(plan.scripts, outcomes).map { script, outcome in outcome.observation(of: script) }
    }
}
