import Foundation
import NIOCore
import NIOHTTP1
import SocketTapeReplay
import SocketTapeWire
import Testing
import SocketTapeTestSupport

/// Starts the Python `websockets` echo peer (Fixtures/peers/py_echo_server.py) for `body`.
func withPythonEcho<Result>(
    _ extraArguments: [String] = [],
    _ body: (_ connector: ReplayConnector, _ log: URL) async throws -> Result
) async throws -> Result {
    let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
    defer { scratch.remove() }
    let directory = scratch.url
    let log = directory.appendingPathComponent("echo.log")
    let arguments = [PeerProcess.python, PeerProcess.fixture("py_echo_server.py"), "--log", log.path] + extraArguments
    return try await withPeer(arguments, in: directory) { peer in
        let scheme = extraArguments.contains("--tls-cert") ? "wss" : "ws"
        return try await body(try ReplayConnector(target: ReplayTarget(parsing: "\(scheme)://127.0.0.1:\(peer.port)")), log)
    }
}

@Suite("WebSocket client against echo peers", .timeLimit(.minutes(1)))
struct WebSocketClientEchoTests {
    @Test("text and binary come back byte for byte, with receive times")
    func echo() async throws {
        try await withPythonEcho { connector, _ in
            var client = try await TestClient.connect(connector)
            let response = try await client.opened()
            #expect(response.status == .switchingProtocols)
            let text = "héllo ✓ \u{0}"
            let binary = ByteBuffer(bytes: (0..<300).map { UInt8($0 % 256) })
            let before = NIODeadline.now()
            #expect(try await client.send(.text, ByteBuffer(string: text)) == .sent)
            #expect(try await client.send(.binary, binary) == .sent)
            let first = await client.next()
            guard case .message(let echoed, let time) = first else {
                Issue.record("expected a message, got \(String(describing: first))")
                return
            }
            #expect(echoed.opcode == .text)
            #expect(String(buffer: echoed.payload) == text)
            #expect(time > before && time <= .now())
            let second = try await client.message()
            #expect(second.opcode == .binary)
            #expect(second.payload == binary)
            try await client.close()
            let closure = try await client.closed()
            #expect(closure == WebSocketClientClosure(initiator: .client, code: 1000, reason: "", error: nil, time: closure.time))
        }
    }

    @Test("a 1 MiB message")
    func large() async throws {
        try await withPythonEcho { connector, _ in
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            let payload = ByteBuffer(bytes: (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            #expect(try await client.send(.binary, payload) == .sent)
            let echoed = try await client.message()
            #expect(echoed.payload == payload)
            try await client.close()
            #expect(try await client.closed().error == nil)
        }
    }

    @Test("Node ws echoes too")
    func node() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        let log = directory.appendingPathComponent("node.log")
        try await withPeer(["/usr/bin/env", "node", PeerProcess.fixture("ws_echo_server.js"), "--log", log.path], in: directory) { peer in
            let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(peer.port)"))
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            #expect(try await client.send(.text, ByteBuffer(string: "from swift")) == .sent)
            #expect(String(buffer: try await client.message().payload) == "from swift")
            try await client.close(code: 4000, reason: "done")
            let closure = try await client.closed()
            #expect(closure.error == nil)
            #expect(closure.code == 4000)
        }
    }

    @Test("server pings are answered: the connection outlives several ping timeouts")
    func pings() async throws {
        try await withPythonEcho(["--ping-interval", "0.2", "--ping-timeout", "1"]) { connector, log in
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            // The server closes with 1011 when a pong is 1 s late: without pongs it would have
            // closed 1.2 s after opening.
            try await Task.sleep(for: .milliseconds(2000))
            #expect(try await client.send(.text, ByteBuffer(string: "still here")) == .sent)
            #expect(String(buffer: try await client.message().payload) == "still here")
            try await client.close()
            #expect(try await client.closed().error == nil)
            let entries = try await readLog(log) { $0.contains { $0["type"] as? String == "close" } }
            #expect(!entries.contains { $0["type"] as? String == "error" })
        }
    }

    @Test("fragmented server messages are reassembled; a ping between fragments gets its pong")
    func fragmented() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        let log = directory.appendingPathComponent("raw.log")
        let arguments = [PeerProcess.python, PeerProcess.fixture("raw_ws_server.py"), "--log", log.path, "--mode", "record"]
        try await withPeer(arguments, in: directory) { peer in
            let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(peer.port)"))
            var client = try await TestClient.connect(connector)
            _ = try await client.opened()
            let hello = try await client.message()
            #expect(String(buffer: hello.payload) == "hello from a raw server ✓")
            let parts = try await client.message()
            #expect(parts.opcode == .text)
            #expect(parts.frames == 3)
            #expect(String(buffer: parts.payload) == "part one, part two, part three")
            let medium = try await client.message()
            #expect(Array(medium.payload.readableBytesView) == Array((0..<512).map { UInt8($0 % 256) }))
            let large = try await client.message()
            #expect(Array(large.payload.readableBytesView) == (0..<70000).map { UInt8($0 % 251) })
            try await client.close(code: 1000, reason: "bye")
            let closure = try await client.closed()
            #expect(closure.error == nil)
            let entries = try await readLog(log) { $0.contains { $0["type"] as? String == "close" } }
            let pongs = entries.filter { $0["type"] as? String == "frame" && $0["opcode"] as? Int == 10 }
            #expect(pongs.map { $0["payload_base64"] as? String } == [Data("between fragments".utf8).base64EncodedString()])
            #expect(entries.last?["code"] as? Int == 1000)
            #expect(entries.last?["reason"] as? String == "bye")
        }
    }
}
