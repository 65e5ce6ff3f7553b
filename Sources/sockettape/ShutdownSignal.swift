import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the self-pipe the signal handler writes to (a C handler cannot capture).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// SIGINT and SIGTERM, caught from the moment ``install()`` returns, so that a signal arriving
/// while the proxy is still starting is neither lost nor fatal.
///
/// The handler (installed with `sigaction` semantics by `signal`, which takes effect at once)
/// only writes one byte to a pipe — the one async-signal-safe thing it needs to do; a thread
/// waiting on the pipe wakes ``wait()``.
final class ShutdownSignal: @unchecked Sendable {
    private let lock = NIOLock()
    private var received = false
    private var waiter: CheckedContinuation<Void, Never>?

    private init() {}

    /// Replaces the default (terminating) handlers of SIGINT and SIGTERM.
    static func install() -> ShutdownSignal {
        let shutdown = ShutdownSignal()
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("cannot create the signal pipe: errno \(errno)") }
        signalPipeWriteEnd = ends[1]
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { _ in
                var byte: UInt8 = 1
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
        let readEnd = ends[0]
        // One thread blocks on the pipe for the life of the process.
        let waiter = NIOThreadPool(numberOfThreads: 1)
        waiter.start()
        waiter.submit { _ in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0, errno == EINTR {}
            shutdown.fire()
        }
        return shutdown
    }

    /// Returns once a signal has arrived (at once if one already has).
    func wait() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if received {
                lock.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }

    private func fire() {
        lock.lock()
        received = true
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume()
    }
}
