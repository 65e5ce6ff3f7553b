import NIOCore
import NIOHTTP1
import NIOPosix
import SocketTapeReplay
import SocketTapeWire
import Testing

/// Answers each echo with the next message, sent unflushed from inside the delegate call,
/// and closes after `count` round trips.
private final class ChainingDelegate: WebSocketClientDelegate {
    private let count: Int
    private let finished: EventLoopPromise<[String]>
    private var received: [String] = []

    init(count: Int, finished: EventLoopPromise<[String]>) {
        self.count = count
        self.finished = finished
    }

    func webSocketDidOpen(_ connection: WebSocketClientConnection, response: HTTPResponseHead) {
        _ = connection.send(text: "message 1")
    }

    func webSocket(_ connection: WebSocketClientConnection, didReceive message: WebSocketMessage, at time: NIODeadline) {
        received.append(String(buffer: message.payload))
        if received.count == count {
            connection.close()
        } else {
            _ = connection.send(text: "message \(received.count + 1)", flush: false)
        }
    }

    func webSocket(_ connection: WebSocketClientConnection, didCloseWith closure: WebSocketClientClosure) {
        finished.succeed(received)
    }
}

@Suite("WebSocket client flushing", .timeLimit(.minutes(1)))
struct WebSocketClientFlushTests {
    @Test("frames sent unflushed from a delegate call go out at the end of the read")
    func flushedAfterRead() async throws {
        try await withPythonEcho { connector, _ in
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let finished = loop.makePromise(of: [String].self)
            try await loop.submit {
                _ = try WebSocketClientConnection.connect(
                    using: connector, target: "/", headers: [], on: loop, delegate: ChainingDelegate(count: 3, finished: finished)
                )
            }.get()
            #expect(try await finished.futureResult.get() == ["message 1", "message 2", "message 3"])
        }
    }
}
