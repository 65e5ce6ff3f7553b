import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire
import Testing
import SocketTapeTestSupport

@Suite("HTTP client connection", .timeLimit(.minutes(1)))
struct HTTPClientConnectionTests {
    /// The python-socketio peer; pings every second, and waits long for pongs so a busy
    /// machine does not expire the session between two requests.
    private static let socketIOServer = [PeerProcess.python, PeerProcess.fixture("sio_server.py"), "--ping-interval", "1", "--ping-timeout", "20"]

    private func connect(port: Int) async throws -> HTTPClientConnection {
        let connector = try ReplayConnector(target: ReplayTarget(parsing: "http://127.0.0.1:\(port)"))
        return try await HTTPClientConnection.connect(using: connector, on: MultiThreadedEventLoopGroup.singleton.next()).get()
    }

    @Test("Engine.IO polling handshake against python-socketio, then more requests on the same connection")
    func engineIOHandshake() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        try await withPeer(Self.socketIOServer, in: directory) { peer in
            let connection = try await connect(port: peer.port)
            let open = try await connection.request(method: .GET, target: "/socket.io/?EIO=4&transport=polling").get()
            #expect(open.status == .ok)
            let body = String(buffer: open.body)
            #expect(body.hasPrefix("0{"))
            let packet = try #require(try EngineIOPayload.decode(open.body, version: .v4).first)
            let handshake = try EngineIOHandshake(packet)
            #expect(handshake.upgrades == ["websocket"])
            #expect(handshake.pingInterval == 1000)

            let sid = "&sid=\(handshake.sid)"
            let connect = try await connection.request(
                method: .POST, target: "/socket.io/?EIO=4&transport=polling\(sid)",
                headers: [HeaderField("Content-Type", "text/plain;charset=UTF-8")], body: ByteBuffer(string: "40")
            ).get()
            #expect(connect.status == .ok)
            #expect(String(buffer: connect.body) == "OK")
            let answer = try await connection.request(method: .GET, target: "/socket.io/?EIO=4&transport=polling\(sid)").get()
            #expect(String(buffer: answer.body).hasPrefix("40{\"sid\":"))
            try await connection.close().get()
        }
    }

    @Test("keep-alive reuse, chunked and Content-Length bodies, request bodies")
    func plainHTTP() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        try await withPeer([PeerProcess.python, PeerProcess.fixture("http_upstream.py")], in: directory) { peer in
            let connection = try await connect(port: peer.port)
            let chunked = try await connection.request(method: .GET, target: "/chunked").get()
            #expect(chunked.headers["Transfer-Encoding"] == ["chunked"])
            #expect(String(buffer: chunked.body) == "alpha-beta-gamma")
            let bytes = try await connection.request(method: .GET, target: "/bytes/100000").get()
            #expect(Array(bytes.body.readableBytesView) == (0..<100_000).map { UInt8($0 % 251) })
            let echo = try await connection.request(
                method: .POST, target: "/echo", headers: [HeaderField("X-Test", "1")], body: ByteBuffer(string: "payload")
            ).get()
            let json = try #require(try JSONSerialization.jsonObject(with: Data(echo.body.readableBytesView)) as? [String: Any])
            #expect(json["body"] as? String == "payload")
            #expect(json["request_no"] as? Int == 3)
            let headers = (json["headers"] as? [[String]] ?? []).map { $0[0].lowercased() }
            #expect(headers.contains("x-test"))
            #expect(!headers.contains("accept-encoding"))
            try await connection.close().get()
        }
    }

    @Test("a second request while one waits fails at once")
    func oneAtATime() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        try await withPeer(Self.socketIOServer, in: directory) { peer in
            let connection = try await connect(port: peer.port)
            let open = try await connection.request(method: .GET, target: "/socket.io/?EIO=4&transport=polling").get()
            let sid = try EngineIOHandshake(#require(try EngineIOPayload.decode(open.body, version: .v4).first)).sid
            // A poll with nothing to deliver waits for the server's next ping (1 s).
            let poll = connection.request(method: .GET, target: "/socket.io/?EIO=4&transport=polling&sid=\(sid)")
            await #expect(throws: ReplayClientError.self) {
                try await connection.request(method: .GET, target: "/socket.io/?EIO=4&transport=polling&sid=\(sid)").get()
            }
            let ping = String(buffer: try await poll.get().body)
            #expect(ping == "2")
            try await connection.close().get()
        }
    }
}
