/// When the replayer sends each client message (`--pacing`).
public enum ReplayPacing: String, Sendable, CaseIterable {
    /// At its recorded offset from the session's start, scaled by `--speed`.
    case recorded
    /// As soon as the server messages that preceded it in the recording have arrived (or the
    /// causal timeout has passed): conversations keep their order without waiting for the clock.
    case causal
    /// At once, one after the other.
    case asap
}
