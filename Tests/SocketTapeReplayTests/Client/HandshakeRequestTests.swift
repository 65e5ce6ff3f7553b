import Foundation
import NIOCore
import SocketTapeTape
@testable import SocketTapeReplay
import Testing

@Suite("Opening handshake request")
struct HandshakeRequestTests {
    private let recorded = [
        HeaderField("Host", "proxy.local:8080"),
        HeaderField("User-Agent", "recorded-agent"),
        HeaderField("Upgrade", "websocket"),
        HeaderField("Connection", "Upgrade"),
        HeaderField("Sec-WebSocket-Key", "cmVjb3JkZWQga2V5IDE2Yg=="),
        HeaderField("Sec-WebSocket-Version", "13"),
        HeaderField("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
        HeaderField("Sec-WebSocket-Protocol", "chat, superchat"),
        HeaderField("X-Trace", "recorded-1"),
        HeaderField("Cookie", "a=1"),
        HeaderField("x-trace", "recorded-2"),
    ]

    private func lines(_ request: WebSocketHandshakeRequest) -> [String] {
        String(buffer: request.bytes).components(separatedBy: "\r\n")
    }

    @Test("recorded headers pass; Host, key, version, upgrade are new; no extensions")
    func rebuilt() throws {
        let overrides = try ReplayHeaderOverrides([HeaderField("X-Trace", "override")])
        let request = try WebSocketHandshakeRequest(
            target: "/chat?room=1", host: "127.0.0.1:9000", recorded: recorded, overrides: overrides
        )
        #expect(lines(request) == [
            "GET /chat?room=1 HTTP/1.1",
            "Host: 127.0.0.1:9000",
            "User-Agent: recorded-agent",
            "Sec-WebSocket-Protocol: chat, superchat",
            "X-Trace: override",
            "Cookie: a=1",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: \(request.key)",
            "Sec-WebSocket-Version: 13",
            "", "",
        ])
        #expect(request.key != "cmVjb3JkZWQga2V5IDE2Yg==")
        #expect(request.offeredProtocols == ["chat", "superchat"])
    }

    @Test("a new key per request: 16 random bytes in base64")
    func keys() throws {
        let first = try WebSocketHandshakeRequest(target: "/", host: "h", recorded: [], overrides: .init())
        let second = try WebSocketHandshakeRequest(target: "/", host: "h", recorded: [], overrides: .init())
        #expect(first.key != second.key)
        #expect(first.key.count == 24)
        #expect(first.key.hasSuffix("=="))
    }

    @Test("Host can be overridden; other overrides are added at the end")
    func hostOverride() throws {
        let overrides = try ReplayHeaderOverrides(parsing: ["host:  virtual.example ", "Authorization: Bearer x"])
        let request = try WebSocketHandshakeRequest(target: "/", host: "10.0.0.1", recorded: recorded, overrides: overrides)
        let sent = lines(request)
        #expect(sent[1] == "Host: virtual.example")
        #expect(sent.filter { $0.lowercased().hasPrefix("host:") }.count == 1)
        #expect(sent.firstIndex(of: "Authorization: Bearer x") == sent.firstIndex(of: "Upgrade: websocket").map { $0 - 1 })
    }

    @Test("the accept value of RFC 6455 §1.3")
    func accept() {
        #expect(WebSocketHandshakeKey.accept(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test(
        "overrides the replayer owns, bad names and values are refused",
        arguments: [
            (["Sec-WebSocket-Key: x"], "--header Sec-WebSocket-Key: set by the replayer"),
            (["connection: close"], "--header connection: set by the replayer"),
            (["Sec-WebSocket-Extensions: permessage-deflate"], "--header Sec-WebSocket-Extensions: set by the replayer"),
            (["Bad Name: x"], "--header 'Bad Name': not a valid header name"),
            (["NoColon"], "--header 'NoColon': expected NAME:VALUE"),
        ]
    )
    func refusedOverrides(arguments: [String], message: String) {
        #expect {
            try ReplayHeaderOverrides(parsing: arguments)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test("a value with a line break is refused")
    func lineBreakOverride() {
        #expect(throws: ReplayConfigurationError.self) {
            try ReplayHeaderOverrides([HeaderField("X-A", "a\r\nX-Injected: 1")])
        }
    }

    @Test("a recorded header or target that HTTP/1.1 cannot carry fails the request")
    func badRecorded() {
        #expect {
            try WebSocketHandshakeRequest(target: "/", host: "h", recorded: [HeaderField("X-A", "a\nb")], overrides: .init())
        } throws: { error in
            "\(error)" == "handshake: recorded header 'X-A' cannot be sent in HTTP/1.1"
        }
        #expect {
            try WebSocketHandshakeRequest(target: "/a b", host: "h", recorded: [], overrides: .init())
        } throws: { error in
            "\(error)" == "handshake: request target '/a b' is not a path"
        }
    }
}
