import SocketTapeReplay
import Testing

@Suite("ReplayTarget")
struct ReplayTargetTests {
    @Test("schemes choose TLS and the default port")
    func schemes() throws {
        let cases: [(String, Bool, Int)] = [
            ("ws://example.com", false, 80), ("http://example.com", false, 80),
            ("wss://example.com", true, 443), ("HTTPS://example.com", true, 443),
        ]
        for (url, tls, port) in cases {
            let target = try ReplayTarget(parsing: url)
            #expect(target.host == "example.com")
            #expect(target.usesTLS == tls)
            #expect(target.port == port)
            #expect(target.pathPrefix == "")
            #expect(target.hostHeader == "example.com")
        }
    }

    @Test("host, port and path prefix")
    func hostPortPath() throws {
        let target = try ReplayTarget(parsing: "ws://127.0.0.1:3000/staging/")
        #expect(target.host == "127.0.0.1")
        #expect(target.port == 3000)
        #expect(target.pathPrefix == "/staging")
        #expect(target.requestTarget(for: "/chat?room=1") == "/staging/chat?room=1")
        #expect(target.hostHeader == "127.0.0.1:3000")
        #expect(target.authority == "127.0.0.1:3000")
        #expect(target.serverName == nil)
    }

    @Test("IPv6 hosts go in brackets")
    func ipv6() throws {
        let withPort = try ReplayTarget(parsing: "wss://[::1]:8443/x")
        #expect(withPort.host == "::1")
        #expect(withPort.port == 8443)
        #expect(withPort.hostHeader == "[::1]:8443")
        #expect(withPort.serverName == nil)
        let withoutPort = try ReplayTarget(parsing: "ws://[fe80::1]")
        #expect(withoutPort.host == "fe80::1")
        #expect(withoutPort.port == 80)
        #expect(withoutPort.hostHeader == "[fe80::1]")
    }

    @Test("a host name is the TLS server name")
    func serverName() throws {
        #expect(try ReplayTarget(parsing: "wss://chat.example.com:8443").serverName == "chat.example.com")
        #expect(try ReplayTarget(parsing: "wss://chat.example.com:443").hostHeader == "chat.example.com")
    }

    @Test(
        "bad URLs are refused with a --target message",
        arguments: [
            ("localhost:8080", "is not a URL"),
            ("ftp://host", "has scheme 'ftp'"),
            ("ws://", "has no host"),
            ("ws://:80", "has no host"),
            ("ws://host:0", "has port '0'"),
            ("ws://host:99999", "has port '99999'"),
            ("ws://host:http", "has port 'http'"),
            ("ws://host/path?x=1", "must not carry a query"),
            ("ws://host#top", "must not carry a query or fragment"),
            ("ws://user:pw@host", "carries user information"),
            ("ws://::1:80", "IPv6 address outside brackets"),
            ("ws://[::1", "without its closing ']'"),
            ("ws://[::1]x", "has 'x' after the IPv6 address"),
            ("ws://[host]", "not an IPv6 address"),
        ]
    )
    func refused(url: String, problem: String) {
        #expect {
            try ReplayTarget(parsing: url)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("--target: '\(url)' ") && text.contains(problem)
        }
    }
}
