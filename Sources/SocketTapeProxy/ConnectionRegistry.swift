import NIOConcurrencyHelpers
import NIOCore

/// A connection that shutdown can ask to end. Called on the connection's own event loop.
protocol DrainableConnection: AnyObject {
    /// Shutdown has begun (`force == false`: finish what is in flight, take nothing new) or its
    /// drain timeout has passed (`force == true`: end now; WebSocket sessions close with 1001).
    func drain(force: Bool)
}

/// The proxy's open connections, so that shutdown can wait for them and then close them.
final class ConnectionRegistry: Sendable {
    private struct Entry: Sendable {
        let eventLoop: any EventLoop
        let connection: NIOLoopBound<any DrainableConnection>
    }

    private let entries = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    /// Adds a connection; call on `eventLoop`.
    func add(_ connection: some DrainableConnection, on eventLoop: any EventLoop) {
        let entry = Entry(eventLoop: eventLoop, connection: NIOLoopBound(connection, eventLoop: eventLoop))
        entries.withLockedValue { $0[ObjectIdentifier(connection)] = entry }
    }

    /// Removes a connection that ended.
    func remove(_ connection: some DrainableConnection) {
        _ = entries.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// How many connections are open.
    var count: Int {
        entries.withLockedValue { $0.count }
    }

    /// Asks every open connection to end, each on its own event loop.
    func drainAll(force: Bool) {
        for entry in entries.withLockedValue({ Array($0.values) }) {
            entry.eventLoop.execute {
                entry.connection.value.drain(force: force)
            }
        }
    }
}
