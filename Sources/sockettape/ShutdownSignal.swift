import Dispatch
import Foundation

/// SIGINT and SIGTERM, caught from the moment of ``install()`` so that a signal that arrives while
/// the proxy is still starting is not lost (or fatal).
final class ShutdownSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var received = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    private init() {}

    /// Replaces the default (terminating) handlers of SIGINT and SIGTERM.
    static func install() -> ShutdownSignal {
        let shutdown = ShutdownSignal()
        let queue = DispatchQueue(label: "sockettape.signals")
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { shutdown.fire() }
            source.resume()
            shutdown.sources.append(source)
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
