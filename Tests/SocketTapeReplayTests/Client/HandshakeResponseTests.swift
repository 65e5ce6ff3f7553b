import NIOCore
import NIOHTTP1
@testable import SocketTapeReplay
import Testing

@Suite("Opening handshake response")
struct HandshakeResponseTests {
    private static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    private static let accepted = """
        HTTP/1.1 101 Switching Protocols\r
        Upgrade: WebSocket\r
        Connection: keep-alive, Upgrade\r
        Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
        \r
        \u{81}\u{02}hi
        """

    /// Parses `text` fed all at once or byte by byte.
    private func parse(_ text: String, byteByByte: Bool, maxSize: Int = 16 << 10) throws(ReplayClientError) -> (HTTPResponseHead, ByteBuffer)? {
        var parser = HTTPResponseHeadParser(maxSize: maxSize)
        let bytes = Array(text.utf8)
        guard byteByByte else { return try parser.parse(appending: ByteBuffer(bytes: bytes)) }
        for (index, byte) in bytes.enumerated() {
            if let result = try parser.parse(appending: ByteBuffer(bytes: [byte])) {
                // The bytes after the head arrive with later reads.
                var rest = result.1
                rest.writeBytes(bytes[(index + 1)...])
                return (result.0, rest)
            }
        }
        return nil
    }

    @Test("a 101 head and the bytes after it", arguments: [false, true])
    func head(byteByByte: Bool) throws {
        let (head, rest) = try #require(try parse(Self.accepted, byteByByte: byteByByte))
        #expect(head.status == .switchingProtocols)
        #expect(head.version == .http1_1)
        #expect(head.headers["connection"] == ["keep-alive, Upgrade"])
        #expect(Array(rest.readableBytesView) == Array("\u{81}\u{02}hi".utf8))
        #expect(try WebSocketHandshakeValidation.check(head, key: Self.key, offeredProtocols: []) == nil)
    }

    @Test("lines may end in a bare LF")
    func bareLF() throws {
        let (head, rest) = try #require(try parse("HTTP/1.1 404 Not Found\nContent-Length: 3\n\nabc", byteByByte: false))
        #expect(head.status.code == 404)
        #expect(head.status.reasonPhrase == "Not Found")
        #expect(head.headers["Content-Length"] == ["3"])
        #expect(rest.readableBytes == 3)
    }

    @Test("an incomplete head waits for more")
    func incomplete() throws {
        #expect(try parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", byteByByte: false) == nil)
    }

    @Test(
        "malformed or oversized heads are refused",
        arguments: [
            ("SSH-2.0-OpenSSH\r\n\r\n", "handshake: the answer is not HTTP: 'SSH-2.0-OpenSSH'"),
            ("HTTP/1.1 10 Short\r\n\r\n", "handshake: the answer is not HTTP: 'HTTP/1.1 10 Short'"),
            ("HTTP/1.1 101 OK\r\nNoColon\r\n\r\n", "handshake: malformed response header line 'NoColon'"),
            ("HTTP/1.1 101 OK\r\nA: b\r\n folded\r\n\r\n", "handshake: malformed response header line ' folded'"),
            ("HTTP/1.1 101 OK\r\nBad Name: b\r\n\r\n", "handshake: malformed response header name 'Bad Name'"),
            ("HTTP/1.1 101 OK\r\nX: " + String(repeating: "a", count: 100) + "\r\n\r\n", "handshake: response head exceeds 64 bytes"),
            ("HTTP/1.1 101 OK\r\nX: " + String(repeating: "a", count: 100), "handshake: response head exceeds 64 bytes"),
        ]
    )
    func refused(text: String, message: String) {
        for byteByByte in [false, true] {
            #expect {
                try parse(text, byteByByte: byteByByte, maxSize: 64)
            } throws: { error in
                "\(error)" == message
            }
        }
    }

    private func head(_ fields: [(String, String)], version: HTTPVersion = .http1_1) -> HTTPResponseHead {
        HTTPResponseHead(version: version, status: .switchingProtocols, headers: HTTPHeaders(fields))
    }

    private let good: [(String, String)] = [
        ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
    ]

    @Test("a chosen subprotocol must have been offered")
    func subprotocol() throws {
        let chosen = head(good + [("Sec-WebSocket-Protocol", "chat")])
        #expect(try WebSocketHandshakeValidation.check(chosen, key: Self.key, offeredProtocols: ["superchat", "chat"]) == "chat")
        #expect {
            try WebSocketHandshakeValidation.check(chosen, key: Self.key, offeredProtocols: ["superchat"])
        } throws: { error in
            "\(error)" == "handshake: server chose subprotocol 'chat', which was not offered"
        }
    }

    @Test(
        "101 answers that break RFC 6455 §4.1 are refused",
        arguments: [
            ([("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")], "101 answer has Upgrade '', not 'websocket'"),
            ([("Upgrade", "websocket"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")], "101 answer has no 'Connection: Upgrade'"),
            ([("Upgrade", "websocket"), ("Connection", "Upgrade")], "101 answer has no Sec-WebSocket-Accept; expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='"),
            ([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "wrong=")], "101 answer has Sec-WebSocket-Accept 'wrong='; expected 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='"),
            ([("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), ("Sec-WebSocket-Extensions", "permessage-deflate")], "server accepted extensions 'permessage-deflate' that were not offered"),
        ]
    )
    func invalid(fields: [(String, String)], problem: String) {
        #expect {
            try WebSocketHandshakeValidation.check(head(fields), key: Self.key, offeredProtocols: [])
        } throws: { error in
            "\(error)" == "handshake: \(problem)"
        }
    }

    @Test("a refusal reports status, reason and the body's first line")
    func refusal() {
        let notFound = HTTPResponseHead(version: .http1_1, status: .notFound, headers: ["Content-Length": "100"])
        var refusal = HandshakeRefusal(head: notFound)
        let partial = refusal.append(ByteBuffer(string: "no such"))
        #expect(!partial)
        let complete = refusal.append(ByteBuffer(string: " page\r\nmore"))
        #expect(complete)
        #expect(refusal.error.description == "handshake: server answered HTTP 404 Not Found: no such page")
        #expect(refusal.error.httpStatus == 404)
        #expect(refusal.error.kind == .handshake)

        var empty = HandshakeRefusal(head: HTTPResponseHead(version: .http1_1, status: .forbidden, headers: ["Content-Length": "0"]))
        let emptyComplete = empty.append(ByteBuffer())
        #expect(emptyComplete)
        #expect(empty.error.description == "handshake: server answered HTTP 403 Forbidden")

        let chunkedHead = HTTPResponseHead(version: .http1_1, status: .badGateway, headers: ["Transfer-Encoding": "chunked"])
        var chunked = HandshakeRefusal(head: chunkedHead)
        let chunkComplete = chunked.append(ByteBuffer(string: "b\r\nupstream down\r\n"))
        #expect(chunkComplete)
        #expect(chunked.error.description == "handshake: server answered HTTP 502 Bad Gateway: upstream down")
    }
}
