import Foundation
import NIOCore
import NIOHTTP1
import SocketTapeReplay
import SocketTapeTape
import Testing

@Suite("WebSocket client request headers", .timeLimit(.minutes(1)))
struct WebSocketClientHeaderTests {
    @Test("the server sees the recorded headers, the overrides, a new Host and key, the path prefix, no extensions")
    func seenByServer() async throws {
        try await withPythonEcho { plain, log in
            let target = try ReplayTarget(parsing: "ws://127.0.0.1:\(plain.target.port)/prefix/")
            let connector = try ReplayConnector(target: target)
            let recorded = [
                HeaderField("Host", "recorded.example"),
                HeaderField("Sec-WebSocket-Key", "cmVjb3JkZWQga2V5IDE2Yg=="),
                HeaderField("Sec-WebSocket-Extensions", "permessage-deflate"),
                HeaderField("X-Trace", "recorded"),
                HeaderField("Cookie", "session=1"),
            ]
            let options = WebSocketClientOptions(headerOverrides: try ReplayHeaderOverrides(parsing: ["X-Trace: replayed", "X-Added: yes"]))
            var client = try await TestClient.connect(connector, target: "/chat?room=7", headers: recorded, options: options)
            let response = try await client.opened()
            #expect(response.headers["Sec-WebSocket-Extensions"].isEmpty)
            try await client.close()
            _ = try await client.closed()

            let entries = try await readLog(log) { $0.contains { $0["type"] as? String == "open" } }
            let open = try #require(entries.first { $0["type"] as? String == "open" })
            #expect(open["path"] as? String == "/prefix/chat?room=7")
            let headers = (open["headers"] as? [[String]] ?? []).map { ($0[0].lowercased(), $0[1]) }
            func values(_ name: String) -> [String] { headers.filter { $0.0 == name }.map(\.1) }
            #expect(values("host") == ["127.0.0.1:\(plain.target.port)"])
            #expect(values("x-trace") == ["replayed"])
            #expect(values("x-added") == ["yes"])
            #expect(values("cookie") == ["session=1"])
            #expect(values("sec-websocket-extensions").isEmpty)
            #expect(values("sec-websocket-version") == ["13"])
            #expect(values("sec-websocket-key").count == 1)
            #expect(values("sec-websocket-key") != ["cmVjb3JkZWQga2V5IDE2Yg=="])
        }
    }
}
