import Foundation
import NIOCore
import SocketTapeReplay
import SocketTapeWire
import Testing
import SocketTapeTestSupport

/// A self-signed certificate for `names` (subjectAltName syntax), made with the openssl CLI.
private func makeCertificate(
    in directory: URL,
    names: String = "DNS:localhost,IP:127.0.0.1"
) async throws -> (certificate: String, key: String) {
    let certificate = directory.appendingPathComponent("cert.pem").path
    let key = directory.appendingPathComponent("key.pem").path
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
        "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=\(names)",
    ]
    openssl.standardOutput = FileHandle.nullDevice
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    await waitForExit(openssl, seconds: 30)
    guard openssl.terminationStatus == 0 else { throw PeerError(description: "openssl req failed") }
    return (certificate, key)
}

@Suite("WebSocket client over TLS", .timeLimit(.minutes(1)))
struct WebSocketClientTLSTests {
    @Test("wss with the test CA: echo works, by address and by name")
    func trusted() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let (certificate, key) = try await makeCertificate(in: scratch.url)
        try await withPythonEcho(["--compression", "none", "--tls-cert", certificate, "--tls-key", key]) { plain, _ in
            for tls in [ReplayTLSOptions(caFile: certificate), ReplayTLSOptions(caFile: certificate, serverName: "localhost")] {
                let connector = try ReplayConnector(target: plain.target, tls: tls)
                var client = try await TestClient.connect(connector)
                _ = try await client.opened()
                #expect(try await client.send(.text, ByteBuffer(string: "secret")) == .sent)
                #expect(String(buffer: try await client.message().payload) == "secret")
                try await client.close()
                #expect(try await client.closed().error == nil)
            }
        }
    }

    @Test("wss without the CA: the certificate is not trusted")
    func untrusted() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let (certificate, key) = try await makeCertificate(in: scratch.url)
        try await withPythonEcho(["--tls-cert", certificate, "--tls-key", key]) { connector, _ in
            var client = try await TestClient.connect(connector)
            let error = try #require(try await client.closed().error)
            #expect(error.kind == .tls)
            #expect(error.description.hasPrefix("TLS with \(connector.target.authority) failed: the server's certificate did not verify"))
        }
    }

    @Test("wss with the CA, for a certificate of another name: refused")
    func wrongName() async throws {
        let scratch = try TemporaryDirectory(prefix: "sockettape-replay-client")
        defer { scratch.remove() }
        let (certificate, key) = try await makeCertificate(in: scratch.url, names: "DNS:localhost")
        try await withPythonEcho(["--tls-cert", certificate, "--tls-key", key]) { plain, _ in
            // By address (the certificate has no IP entry), then by a name it does not have.
            for serverName in ["127.0.0.1", "other.example"] {
                let name = serverName == "127.0.0.1" ? nil : serverName
                let connector = try ReplayConnector(target: plain.target, tls: .init(caFile: certificate, serverName: name))
                var client = try await TestClient.connect(connector)
                let error = try #require(try await client.closed().error)
                #expect(error.kind == .tls)
                #expect(error.description == "TLS with \(plain.target.authority) failed: the server's certificate is not for \(serverName)")
            }
        }
    }

    @Test("an unreadable CA file is a configuration error")
    func missingCA() throws {
        #expect {
            try ReplayConnector(target: ReplayTarget(parsing: "wss://127.0.0.1:1"), tls: .init(caFile: "/nonexistent/ca.pem"))
        } throws: { error in
            "\(error)".hasPrefix("CA file '/nonexistent/ca.pem': cannot read PEM certificates")
        }
    }
}
