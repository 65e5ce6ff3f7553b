import NIOHTTP1
import Testing

@testable import SocketTapeProxy

@Suite struct ForwardingHeadersTests {
    @Test func dropsHopByHopAndWhatConnectionNames() {
        let headers = HTTPHeaders([
            ("Host", "example"), ("Connection", "keep-alive, X-Hop"), ("Keep-Alive", "timeout=5"),
            ("X-Hop", "1"), ("TE", "trailers"), ("Trailer", "X-T"), ("Upgrade", "h2c"),
            ("Proxy-Connection", "keep-alive"), ("Content-Length", "3"), ("X-End", "kept"),
        ])
        let forwarded = ForwardingHeaders.endToEnd(headers)
        #expect(forwarded.map { "\($0.name): \($0.value)" } == ["Host: example", "Content-Length: 3", "X-End: kept"])
    }

    @Test func upgradeKeepsConnectionAndUpgradeAsWritten() {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/chat", headers: HTTPHeaders([
            ("Host", "h"), ("Connection", "keep-alive, Upgrade"), ("Upgrade", "websocket"), ("Keep-Alive", "300"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ]))
        let upstream = ForwardingHeaders.upstreamRequest(
            head, target: "/api/chat", clientAddress: "10.0.0.7", clientUsedTLS: true, isUpgrade: true
        )
        #expect(upstream.uri == "/api/chat")
        #expect(upstream.headers["Connection"] == ["keep-alive, Upgrade"])
        #expect(upstream.headers["Upgrade"] == ["websocket"])
        #expect(upstream.headers["Keep-Alive"].isEmpty)
        #expect(upstream.headers["X-Forwarded-For"] == ["10.0.0.7"])
        #expect(upstream.headers["X-Forwarded-Proto"] == ["https"])
    }

    @Test func appendsToAnExistingForwardedFor() {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: HTTPHeaders([
            ("X-Forwarded-For", "1.1.1.1"), ("X-Forwarded-For", "2.2.2.2"), ("X-Forwarded-Proto", "https"),
        ]))
        let upstream = ForwardingHeaders.upstreamRequest(
            head, target: "/", clientAddress: "127.0.0.1", clientUsedTLS: false, isUpgrade: false
        )
        #expect(upstream.headers["X-Forwarded-For"] == ["1.1.1.1, 2.2.2.2, 127.0.0.1"])
        #expect(upstream.headers["X-Forwarded-Proto"] == ["http"])
    }

    @Test func switchingProtocolsResponseKeepsUpgradeHeaders() {
        let response = HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: HTTPHeaders([
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ]))
        #expect(ForwardingHeaders.clientResponse(response).headers == response.headers)
        let ordinary = HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders([
            ("Connection", "close"), ("Content-Type", "text/plain"),
        ]))
        #expect(ForwardingHeaders.clientResponse(ordinary).headers.map(\.name) == ["Content-Type"])
    }
}
