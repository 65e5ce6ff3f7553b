import NIOCore
import NIOHTTP1
import NIOPosix
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire
import Testing

/// What a ``WebSocketClientConnection`` told its delegate.
enum ClientEvent: Sendable {
    case open(HTTPResponseHead)
    case message(WebSocketMessage, NIODeadline)
    /// With ``WebSocketClientConnection/isWritable`` at the time.
    case writabilityChanged(Bool)
    case closed(WebSocketClientClosure)
}

/// A delegate that passes every event into an `AsyncStream`, for a test to await.
final class StreamingDelegate: WebSocketClientDelegate {
    private let continuation: AsyncStream<ClientEvent>.Continuation

    init(_ continuation: AsyncStream<ClientEvent>.Continuation) {
        self.continuation = continuation
    }

    func webSocketDidOpen(_ connection: WebSocketClientConnection, response: HTTPResponseHead) {
        continuation.yield(.open(response))
    }

    func webSocket(_ connection: WebSocketClientConnection, didReceive message: WebSocketMessage, at time: NIODeadline) {
        continuation.yield(.message(message, time))
    }

    func webSocketWritabilityChanged(_ connection: WebSocketClientConnection) {
        continuation.yield(.writabilityChanged(connection.isWritable))
    }

    func webSocket(_ connection: WebSocketClientConnection, didCloseWith closure: WebSocketClientClosure) {
        continuation.yield(.closed(closure))
        continuation.finish()
    }
}

/// A ``WebSocketClientConnection`` driven from a test: calls hop onto its loop, events come
/// out of ``next()`` in order.
struct TestClient {
    let loop: any EventLoop
    let connection: NIOLoopBound<WebSocketClientConnection>
    private var events: AsyncStream<ClientEvent>.Iterator

    /// Starts a connection on the shared event loop group.
    static func connect(
        _ connector: ReplayConnector,
        target: String = "/",
        headers: [HeaderField] = [],
        options: WebSocketClientOptions = .init()
    ) async throws -> TestClient {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let (stream, continuation) = AsyncStream.makeStream(of: ClientEvent.self)
        let connection = try await loop.submit {
            let delegate = StreamingDelegate(continuation)
            return NIOLoopBound(
                try WebSocketClientConnection.connect(
                    using: connector, target: target, headers: headers, options: options, on: loop, delegate: delegate
                ),
                eventLoop: loop
            )
        }.get()
        return TestClient(loop: loop, connection: connection, events: stream.makeAsyncIterator())
    }

    /// The next event other than a writability change; nil once the connection has ended.
    mutating func next() async -> ClientEvent? {
        while let event = await events.next() {
            if case .writabilityChanged = event { continue }
            return event
        }
        return nil
    }

    /// Awaits the open event.
    mutating func opened() async throws -> HTTPResponseHead {
        let event = await next()
        guard case .open(let head) = event else {
            throw PeerError(description: "expected the connection to open, got \(String(describing: event))")
        }
        return head
    }

    /// Awaits the next data message.
    mutating func message() async throws -> WebSocketMessage {
        let event = await next()
        guard case .message(let message, _) = event else {
            throw PeerError(description: "expected a message, got \(String(describing: event))")
        }
        return message
    }

    /// Awaits writability changes until one that made the connection writable.
    mutating func becameWritable() async throws {
        while true {
            let event = await events.next()
            guard case .writabilityChanged(let writable) = event else {
                throw PeerError(description: "expected a writability change, got \(String(describing: event))")
            }
            if writable { return }
        }
    }

    /// Awaits the end of the connection.
    mutating func closed() async throws -> WebSocketClientClosure {
        let event = await next()
        guard case .closed(let closure) = event else {
            throw PeerError(description: "expected the connection to close, got \(String(describing: event))")
        }
        return closure
    }

    /// Sends on the connection's loop.
    func send(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) async throws -> WebSocketClientConnection.SendResult {
        let connection = connection
        return try await loop.submit { connection.value.send(opcode: opcode, payload: payload) }.get()
    }

    /// Closes TCP at once, on the connection's loop.
    func abort() async throws {
        let connection = connection
        try await loop.submit { connection.value.abort() }.get()
    }

    /// Starts the close handshake on the connection's loop.
    func close(code: UInt16 = 1000, reason: String = "") async throws {
        let connection = connection
        try await loop.submit { connection.value.close(code: code, reason: reason) }.get()
    }
}
