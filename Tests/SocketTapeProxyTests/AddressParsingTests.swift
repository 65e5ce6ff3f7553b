import Testing

@testable import SocketTapeProxy

@Suite struct HostAndPortTests {
    @Test func parsesIPv4AndNames() throws {
        #expect(try HostAndPort(parsing: "127.0.0.1:8080") == HostAndPort(host: "127.0.0.1", port: 8080))
        #expect(try HostAndPort(parsing: "localhost:0") == HostAndPort(host: "localhost", port: 0))
    }

    @Test func parsesBracketedIPv6() throws {
        let parsed = try HostAndPort(parsing: "[::1]:9000")
        #expect(parsed == HostAndPort(host: "::1", port: 9000))
        #expect(parsed.description == "[::1]:9000")
    }

    @Test(arguments: ["8080", "host:", ":80", "host:65536", "host:-1", "host:http"])
    func rejects(_ text: String) {
        #expect(throws: ProxyConfigurationError.self) { try HostAndPort(parsing: text) }
    }
}

@Suite struct UpstreamEndpointTests {
    @Test func plainWebSocket() throws {
        let endpoint = try UpstreamEndpoint(parsing: "ws://127.0.0.1:3000")
        #expect(endpoint.host == "127.0.0.1")
        #expect(endpoint.port == 3000)
        #expect(!endpoint.usesTLS)
        #expect(endpoint.upstreamTarget(for: "/chat?x=1") == "/chat?x=1")
        #expect(endpoint.serverNameIndication == nil)
    }

    @Test func secureWithDefaultPortAndPrefix() throws {
        let endpoint = try UpstreamEndpoint(parsing: "wss://example.test/api/")
        #expect(endpoint.port == 443)
        #expect(endpoint.usesTLS)
        #expect(endpoint.upstreamTarget(for: "/chat") == "/api/chat")
        #expect(endpoint.serverNameIndication == "example.test")
    }

    @Test func ipv6Authority() throws {
        let endpoint = try UpstreamEndpoint(parsing: "http://[::1]:8080")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 8080)
        #expect(endpoint.serverNameIndication == nil)
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: ProxyConfigurationError("upstream 'ftp://x' has scheme 'ftp'; use ws, wss, http or https")) {
            try UpstreamEndpoint(parsing: "ftp://x")
        }
        #expect(throws: ProxyConfigurationError("upstream 'localhost:3000' is not a URL (expected ws://HOST:PORT)")) {
            try UpstreamEndpoint(parsing: "localhost:3000")
        }
        #expect(throws: ProxyConfigurationError("upstream 'ws://h:1/p?q=1' must not carry a query")) {
            try UpstreamEndpoint(parsing: "ws://h:1/p?q=1")
        }
    }
}
