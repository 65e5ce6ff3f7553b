#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import SocketTapeReplay

/// The load test's progress on stderr, once a second: redrawn in place on a terminal, one line
/// per second otherwise (`--progress`). Standard output keeps only the report.
final class LoadProgressLine: Sendable {
    private let terminal = isatty(STDERR_FILENO) != 0
    private let enabled: Bool
    private let shown = NIOLockedValueBox(false)

    /// Shows progress when `requested` or when stderr is a terminal.
    init(requested: Bool) {
        enabled = requested || terminal
    }

    func show(_ progress: LoadProgress) {
        guard enabled else { return }
        let line = "[\(progress.second + 1) s] sessions \(progress.open) open, \(progress.total.ended - progress.total.failed) done, "
            + "\(progress.total.failed) failed | \(progress.last.sent) msgs/s out, \(progress.last.received) in | round trip p50 "
            + "\(LoadTextRenderer.milliseconds(progress.roundTrips.percentile(50))), p99 \(LoadTextRenderer.milliseconds(progress.roundTrips.percentile(99)))"
        shown.withLockedValue { $0 = true }
        if terminal { StandardError.write("\r" + line + "\u{1B}[K", newline: false) } else { StandardError.write(line) }
    }

    /// Ends the redrawn line.
    func finish() {
        if terminal, shown.withLockedValue({ $0 }) { StandardError.write("") }
    }
}
