#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one clock of a tape: wall time for people, monotonic offsets for replay.
///
/// Every record on a tape takes its ``RecordTime`` from the same clock, so offsets are comparable
/// across sessions and segments and never run backwards when the wall clock is adjusted.
public struct TapeClock: Sendable {
    /// The wall clock at the tape's start, microseconds since the Unix epoch (written in the header).
    public let startWallMicros: Int64
    private let startMonotonicNanos: UInt64

    /// A clock whose offset 0 is now.
    public init() {
        self.startWallMicros = Int64(Self.read(CLOCK_REALTIME) / 1000)
        self.startMonotonicNanos = Self.read(CLOCK_MONOTONIC)
    }

    /// The current wall time (`CLOCK_REALTIME`) and the monotonic time since the clock started.
    public func now() -> RecordTime {
        let wall = Int64(Self.read(CLOCK_REALTIME) / 1000)
        let monotonic = Self.read(CLOCK_MONOTONIC)
        return RecordTime(wallMicros: wall, offsetNanos: monotonic &- startMonotonicNanos)
    }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(clock, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
