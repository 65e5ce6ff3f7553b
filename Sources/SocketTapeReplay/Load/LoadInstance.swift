import NIOCore

/// One session of a load test: clone ``clone`` of the plan's script ``script``, started
/// ``delay`` after the run's start.
public struct LoadInstance: Sendable, Equatable {
    /// The script's index in the plan.
    public var script: Int
    /// The clone number, `0 ..< clients` (`{clone}`).
    public var clone: Int
    /// When it starts, from the run's start.
    public var delay: TimeAmount

    /// Every instance this machine runs, by start time (plan order among equal starts).
    ///
    /// A session starts at its recorded offset from the tape's first session (divided by
    /// ``ReplayOptions/speed``; at once with `asap` pacing), plus `k / clients` of the ramp-up for
    /// clone `k`; with `--shard`, only this shard's instances are kept (``LoadShard``).
    public static func schedule(_ plan: ReplayPlan, options: ReplayOptions, load: LoadOptions) -> [LoadInstance] {
        let recorded = plan.startDelays(options)
        let count = plan.scripts.count
        var instances: [LoadInstance] = []
        for clone in 0..<max(load.clients, 0) {
            let ramp = TimeAmount.nanoseconds(load.rampUp.nanoseconds * Int64(clone) / Int64(load.clients))
            for index in recorded.indices where load.shard?.contains(clone * count + index) ?? true {
                instances.append(LoadInstance(script: index, clone: clone, delay: recorded[index] + ramp))
            }
        }
        // Sorting by start alone keeps plan order among equal starts only if stable: compare the
        // position too.
        return instances.enumerated().sorted { ($0.element.delay, $0.offset) < ($1.element.delay, $1.offset) }.map(\.element)
    }
}
