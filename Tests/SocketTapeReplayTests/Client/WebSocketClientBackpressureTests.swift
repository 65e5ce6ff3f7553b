import NIOCore
import SocketTapeReplay
import SocketTapeWire
import Testing

@Suite("WebSocket client backpressure", .timeLimit(.minutes(1)))
struct WebSocketClientBackpressureTests {
    @Test("sends are refused while the server does not read, and resume when it does")
    func stalledServer() async throws {
        let server = try await StallingServer()
        let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(server.port)"))
        var client = try await TestClient.connect(connector)
        _ = try await client.opened()
        let chunk = ByteBuffer(repeating: 0x61, count: 256 << 10)
        // The kernel's socket buffers take a few MiB; after that 64 KiB more stops the sender.
        var sent = 0
        var result = WebSocketClientConnection.SendResult.sent
        while result == .sent {
            result = try await client.send(.binary, chunk)
            sent += 1
            try #require(sent < 400, "never refused after \(sent) messages of 256 KiB")
        }
        #expect(result == .notWritable)
        try await server.resumeReading()
        // Writability may have come and gone while the kernel's buffers grew during the loop:
        // earlier "writable" events can still be queued, so wait until a send goes through.
        while result == .notWritable {
            try await client.becameWritable()
            result = try await client.send(.binary, chunk)
        }
        #expect(result == .sent)
        try await client.abort()
        let closure = try await client.closed()
        #expect(closure.error?.kind == .cancelled)
        try await server.stop()
    }
}
