import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM.
enum ShutdownSignal {
    /// Returns when the process receives SIGINT or SIGTERM; the default handlers are disabled, so
    /// the caller decides how to stop.
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "sockettape.signals")
            let once = OnceFlag()
            var sources: [any DispatchSourceSignal] = []
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler {
                    if once.claim() {
                        continuation.resume()
                    }
                }
                source.resume()
                sources.append(source)
            }
            Retained.signalSources = sources
        }
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum Retained {
    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []
}

/// True exactly once, from any thread.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
