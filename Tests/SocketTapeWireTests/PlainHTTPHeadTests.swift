import SocketTapeWire
import Testing

/// The strict head reader of the proxy's handshake path: what it takes it reads exactly, and
/// whatever it does not take is left whole to the full parser.
struct PlainHTTPHeadTests {
    private func read(_ text: String, _ kind: PlainHTTPHead.Kind = .request, maxLength: Int = 1024) -> PlainHTTPHead.ReadResult {
        Array(text.utf8).withUnsafeBytes { PlainHTTPHead.read($0, kind: kind, maxLength: maxLength) }
    }

    private func taken(_ text: String, _ kind: PlainHTTPHead.Kind = .request) -> (PlainHTTPHead, Int)? {
        if case .head(let head, let length) = read(text, kind) { return (head, length) }
        return nil
    }

    private let handshake = "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

    @Test func readsAWebSocketHandshakeExactly() throws {
        let (head, length) = try #require(taken(handshake + "\u{81}\u{85}frame"))
        #expect(length == handshake.utf8.count)
        #expect(head.startLine == .request(method: "GET", target: "/chat?room=1"))
        #expect(head.fields.map(\.0) == ["Host", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version"])
        #expect(head.fields.map(\.1) == ["127.0.0.1:8080", "websocket", "Upgrade", "dGhlIHNhbXBsZSBub25jZQ==", "13"])
    }

    @Test func readsA101WithAndWithoutAReason() throws {
        let answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nX:\t a b \t\r\n\r\n"
        let (switching, length) = try #require(taken(answer + "rest", .response))
        #expect(length == answer.utf8.count)
        #expect(switching.startLine == .response(status: 101, reason: "Switching Protocols"))
        #expect(switching.fields.map(\.1) == ["websocket", "a b"])
        #expect(try #require(taken("HTTP/1.1 101\r\n\r\n", .response)).0.startLine == .response(status: 101, reason: ""))
        #expect(try #require(taken("HTTP/1.1 101 \r\n\r\n", .response)).0.startLine == .response(status: 101, reason: ""))
    }

    @Test func anUnfinishedHeadNeedsMoreBytes() {
        for cut in [0, 1, 15, handshake.utf8.count - 2, handshake.utf8.count - 1] {
            let prefix = String(decoding: Array(handshake.utf8.prefix(cut)), as: UTF8.self)
            guard case .incomplete = read(prefix) else {
                Issue.record("\(cut) bytes: not incomplete")
                continue
            }
        }
    }

    @Test(arguments: [
        // Bodies and their framing: the full parser's business.
        "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi",
        "POST /x HTTP/1.1\r\ncontent-length: 0\r\n\r\n",
        "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // Versions and start lines.
        "GET / HTTP/1.0\r\n\r\n", "GET / HTTP/2\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / x HTTP/1.1\r\n\r\n",
        "GET\r\n\r\n", " GET / HTTP/1.1\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n", "\r\nGET / HTTP/1.1\r\n\r\n",
        // Lines and fields.
        "GET / HTTP/1.1\nHost: a\n\n", "GET / HTTP/1.1\r\nHost: a\n\r\n", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET / HTTP/1.1\r\n: a\r\n\r\n", "GET / HTTP/1.1\r\nHost a\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "GET / HTTP/1.1\r\nX: caf\u{E9}\r\n\r\n", "GET / HTTP/1.1\r\nX: a\u{7F}\r\n\r\n",
        "GET /caf\u{E9} HTTP/1.1\r\n\r\n",
    ])
    func leavesToTheFullParser(text: String) {
        guard case .unsupported = read(text) else {
            Issue.record("taken: \(text.debugDescription)")
            return
        }
    }

    @Test(arguments: [
        "HTTP/1.0 101 Switching Protocols\r\n\r\n", "HTTP/1.1 10 x\r\n\r\n", "HTTP/1.1 1011\r\n\r\n", "HTTP/1.1 099 x\r\n\r\n",
        "HTTP/1.1 101x\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
    ])
    func leavesUnusualResponsesToTheFullParser(text: String) {
        guard case .unsupported = read(text, .response) else {
            Issue.record("taken: \(text.debugDescription)")
            return
        }
    }

    @Test func aResponseOfAnotherStatusIsReadToo() throws {
        // Whether to take it is the caller's choice: the proxy takes only a 101.
        #expect(try #require(taken("HTTP/1.1 403 Forbidden\r\n\r\n", .response)).0.startLine == .response(status: 403, reason: "Forbidden"))
    }

    @Test func aHeadLongerThanTheLimitIsUnsupported() {
        let long = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 100) + "\r\n\r\n"
        guard case .unsupported = read(long, maxLength: 64) else {
            Issue.record("a head over the limit was taken")
            return
        }
        guard case .unsupported = read(String(long.prefix(80)), maxLength: 64) else {
            Issue.record("a head that cannot end within the limit still waits")
            return
        }
        guard case .head = read(long, maxLength: long.utf8.count) else {
            Issue.record("a head of exactly the limit was not taken")
            return
        }
    }
}
