import Foundation
import NIOCore
import NIOPosix
import SocketTapeReplay
import Testing
import SocketTapeTestSupport

@Suite("WebSocket client failures", .timeLimit(.minutes(1)))
struct WebSocketClientFailureTests {
    /// The closure of a connection that never opened.
    private func failure(_ connector: ReplayConnector, target: String = "/", options: WebSocketClientOptions = .init()) async throws -> ReplayClientError {
        var client = try await TestClient.connect(connector, target: target, options: options)
        let closure = try await client.closed()
        #expect(closure.initiator == nil)
        return try #require(closure.error)
    }

    @Test("a plain HTTP server's 404 is reported with its status line and first body line")
    func notFound() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let directory = scratch.url
        let arguments = [PeerProcess.python, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory.path]
        try await withPeer(arguments, in: directory) { peer in
            let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(peer.port)"))
            let error = try await failure(connector, target: "/no/such/socket")
            #expect(error.kind == .handshake)
            #expect(error.httpStatus == 404)
            #expect(error.description == "handshake: server answered HTTP 404 Not Found: <!DOCTYPE HTML>")
        }
    }

    @Test("a refused upgrade carries the server's body line")
    func forbidden() async throws {
        try await withPythonEcho { connector, _ in
            let error = try await failure(connector, target: "/forbidden")
            #expect(error.description == "handshake: server answered HTTP 403 Forbidden: no entry")
        }
    }

    @Test("nobody listening: connection refused")
    func refused() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        try await listener.close()
        let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(port)"))
        let error = try await failure(connector)
        #expect(error.kind == .connect)
        #expect(error.description == "connect to 127.0.0.1:\(port) failed: connection refused")
    }

    @Test("a server that accepts and stays silent: handshake timeout")
    func silent() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let listener = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)
        let connector = try ReplayConnector(target: ReplayTarget(parsing: "ws://127.0.0.1:\(port)"))
        let error = try await failure(connector, options: .init(handshakeTimeout: .milliseconds(300)))
        #expect(error.kind == .handshake)
        #expect(error.description == "handshake: no answer within 300 ms")
        try await listener.close()
    }

    @Test("a host that does not resolve is a configuration error")
    func unresolvable() throws {
        #expect {
            try ReplayConnector(target: ReplayTarget(parsing: "ws://no-such-host.invalid:80"))
        } throws: { error in
            "\(error)".hasPrefix("--target: host 'no-such-host.invalid' does not resolve")
        }
    }
}
