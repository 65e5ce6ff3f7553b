/// A load test's measurements as they come in from every event loop, a second at a time.
struct LoadTally {
    var totals = LoadSample()
    var timeline: [LoadSecond] = []

    /// Adds what the loops measured during `second`; returns how the run stands.
    mutating func add(second: Int, _ samples: [LoadSample]) -> LoadProgress {
        var merged = LoadSample()
        for sample in samples { merged.add(sample) }
        totals.add(merged)
        var roundTrips = LoadHistogram(digits: 2)
        roundTrips.add(merged.roundTrip)
        var pacingErrors = LoadHistogram(digits: 2)
        pacingErrors.add(merged.pacingError)
        timeline.insert(LoadSecond(second: second, counts: merged.counts, roundTrips: roundTrips, pacingErrors: pacingErrors))
        return LoadProgress(second: second, total: totals.counts, last: merged.counts, roundTrips: merged.roundTrip)
    }
}
