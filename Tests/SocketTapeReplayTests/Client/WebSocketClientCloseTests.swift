import Foundation
import NIOCore
import SocketTapeReplay
import SocketTapeWire
import Testing
import SocketTapeTestSupport

@Suite("WebSocket client closing", .timeLimit(.minutes(1)))
struct WebSocketClientCloseTests {
    @Test("the client closes: its code reaches the server, the server's answer is reported")
    func clientCloses() async throws {
        try await withPythonEcho { connector, log in
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            try await client.close(code: 4001, reason: "replay over")
            #expect(try await client.send(.text, ByteBuffer(string: "late")) == .notOpen)
            let closure = try await client.closed()
            #expect(closure.initiator == .client)
            #expect(closure.code == 4001)
            #expect(closure.error == nil)
            let entries = try await readLog(log) { $0.contains { $0["type"] as? String == "close" } }
            let received = try #require(entries.last?["received"] as? [String: Any])
            #expect(received["code"] as? Int == 4001)
            #expect(received["reason"] as? String == "replay over")
        }
    }

    @Test("the server closes: the client answers with the same code")
    func serverCloses() async throws {
        try await withPythonEcho(["--close-command"]) { connector, log in
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            #expect(try await client.send(.text, ByteBuffer(string: "close 4002 going away")) == .sent)
            let closure = try await client.closed()
            #expect(closure.initiator == .server)
            #expect(closure.code == 4002)
            #expect(closure.reason == "going away")
            #expect(closure.error == nil)
            let entries = try await readLog(log) { $0.contains { $0["type"] as? String == "close" } }
            let received = try #require(entries.last?["received"] as? [String: Any])
            #expect(received["code"] as? Int == 4002)
        }
    }

    @Test("a server that masks its frames is failed with 1002")
    func violation() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        let log = directory.appendingPathComponent("raw.log")
        let arguments = [PeerProcess.python, PeerProcess.fixture("raw_ws_server.py"), "--log", log.path, "--mode", "masked"]
        try await withPeer(arguments, in: directory) { peer in
            let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(peer.port)"))
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            let closure = try await client.closed()
            #expect(closure.initiator == .client)
            let error = try #require(closure.error)
            #expect(error.kind == .protocolViolation)
            #expect(error.closeCode == 1002)
            #expect(error.description == "server broke RFC 6455: server frame is masked (closed with 1002)")
            let entries = try await readLog(log) { $0.contains { ["close", "eof"].contains($0["type"] as? String) } }
            #expect(entries.last?["code"] as? Int == 1002)
        }
    }
}
