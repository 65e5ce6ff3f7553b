import NIOCore

/// A replay as the `replay` command runs it: a plan, a target, and how to compare.
public struct ReplayJob: Sendable {
    public let plan: ReplayPlan
    public let options: ReplayOptions
    let connector: ReplayConnector
    let webSocketOptions: WebSocketClientOptions
    let captures: [IgnoreRule]

    /// Checks the target and headers and resolves the target's host (blocking: call before the
    /// event loops run).
    ///
    /// - Throws: ``ReplayConfigurationError`` naming the flag at fault.
    public init(
        plan: ReplayPlan, target: String, options: ReplayOptions, headers: [String], caFile: String?, captures: [IgnoreRule] = []
    ) throws(ReplayConfigurationError) {
        self.plan = plan
        self.options = options
        self.captures = captures
        connector = try ReplayConnector(
            target: ReplayTarget(parsing: target), tls: ReplayTLSOptions(caFile: caFile), connectTimeout: options.connectTimeout
        )
        var webSocketOptions = WebSocketClientOptions()
        webSocketOptions.headerOverrides = try ReplayHeaderOverrides(parsing: headers)
        webSocketOptions.handshakeTimeout = options.connectTimeout
        self.webSocketOptions = webSocketOptions
    }

    /// What one run of every session gave.
    public struct Run: Sendable {
        /// The outcomes in plan order.
        public var outcomes: [SessionOutcome]
        /// The ids and captured values learned while it ran (the comparison starts from them).
        public var identifiers: IdentifierMap
    }

    /// Replays every session once.
    public func run(on group: any EventLoopGroup) async throws -> Run {
        let book = captures.isEmpty ? nil : CaptureBook(rules: captures)
        let outcomes = try await ReplayRun(plan: plan, options: options, captures: book)
            .run(on: group, using: connector, options: webSocketOptions).get()
        return Run(outcomes: outcomes, identifiers: book?.identifiers ?? IdentifierMap())
    }

    /// Compares a run with the recording.
    public func compare(_ run: Run, rules: ComparisonRules) -> ReplayReport {
        ReplayComparator(rules: rules).compare(observations(run.outcomes), identifiers: run.identifiers)
    }

    /// The fields that differ between two runs of the same sessions (`--learn-noise`).
    public func learnNoise(first: Run, second: Run, rules: ComparisonRules) -> LearnedNoise {
        let samples = zip(observations(first.outcomes), observations(second.outcomes)).map { first, second in
            NoiseSample(session: first.session, first: first.actual, second: second.actual)
        }
        return NoiseLearner.learn(samples, captures: rules.captures)
    }

    private func observations(_ outcomes: [SessionOutcome]) -> [SessionObservation] {
        zip(plan.scripts, outcomes).map { script, outcome in outcome.observation(of: script) }
    }
}
