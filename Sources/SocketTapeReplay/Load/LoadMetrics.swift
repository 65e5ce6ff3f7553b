/// The measurements of one event loop's sessions, kept on that loop without locks; the run
/// takes them once a second (``take()``) and adds them up across loops.
final class LoadMetrics {
    var sample = LoadSample()

    /// What was measured since the last call; starts afresh.
    func take() -> LoadSample {
        defer { sample = LoadSample() }
        return sample
    }
}
