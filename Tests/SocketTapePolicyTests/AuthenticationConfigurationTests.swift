import Foundation
import SocketTapePolicy
import Testing

/// The `authentication` section: what it parses to, and every mistake with its line and column.
@Suite struct AuthenticationConfigurationTests {
    @Test func everyKeyParses() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data((Tokens.secret + "\n").utf8).write(to: directory.appendingPathComponent("secret"))
        let authentication = try await authentication("""
                hmac-secret-file: secret
                issuer: https://auth.example
                audience: chat
                leeway: 5s
                token: { query: access_token }
            """, file: directory.appendingPathComponent("policy.yaml").path)
        #expect(authentication.token == .query("access_token"))
        #expect(authentication.verifier.issuer == "https://auth.example")
        #expect(authentication.verifier.audiences == ["chat"])
        #expect(authentication.verifier.leeway == 5)
        // The file's final newline is not part of the secret: a token signed with the secret verifies.
        let token = try await Tokens.hmac(Claims(sub: "from-file", iss: "https://auth.example", aud: ["chat"]))
        #expect(outcome(authentication.verifier, token) == "ok from-file")
    }

    @Test func defaults() async throws {
        let authentication = try await authentication("    hmac-secret: \(Tokens.secret)\n")
        #expect(authentication.token == .header("Authorization"))
        #expect(authentication.verifier.issuer == nil && authentication.verifier.audiences == nil)
        #expect(authentication.verifier.leeway == 30)
    }

    static let badSections: [(yaml: String, problem: String)] = [
        ("authentication: {}", "1:17: authentication: give jwt: { … } (the only kind of authentication)"),
        ("authentication:\n  jwt:\n    hmac-secret: short", "3:18: authentication.jwt.hmac-secret: an HMAC secret needs at least 32 bytes (RFC 7518 §3.2), got 5"),
        ("authentication:\n  jwt:\n    hmac-secret: \"\"", "3:18: authentication.jwt.hmac-secret: must not be empty"),
        ("authentication:\n  jwt:\n    jwks-file: /nonexistent/keys.json", "3:16: authentication.jwt.jwks-file: cannot read /nonexistent/keys.json: No such file or directory"),
        ("authentication:\n  jwt:\n    hmac-secret-file: /nonexistent/secret", "3:23: authentication.jwt.hmac-secret-file: cannot read /nonexistent/secret: No such file or directory"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    leeway: soon", "4:13: authentication.jwt.leeway: expected seconds (30, 30s, 2min or 1h), got 'soon'"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    audience: []", "4:15: authentication.jwt.audience: list one audience or more, none empty"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    issuer: \"\"", "4:13: authentication.jwt.issuer: must not be empty"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    token: { header: A, query: b }", "4:12: authentication.jwt.token: give one place, { header: NAME } or { query: NAME }"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    token: { cookie: b }", "4:14: authentication.jwt.token: unknown key 'cookie'"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    token: Authorization", "4:12: authentication.jwt.token: expected a mapping, got 'Authorization'"),
        ("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    token: {}", "4:12: authentication.jwt.token: give one place, { header: NAME } or { query: NAME }"),
    ]

    @Test(arguments: badSections)
    func badSection(yaml: String, problem: String) async {
        #expect(await problems(yaml) == [problem])
    }

    @Test func aMisspelledKeyIsNamedAndTheMissingKeysToo() async {
        #expect(await problems("authentication: { jwt: { hmac-secrt: x } }") == [
            "1:24: authentication.jwt: give the keys tokens are signed with: hmac-secret, hmac-secret-file or jwks-file",
            "1:26: authentication.jwt: unknown key 'hmac-secrt' (did you mean 'hmac-secret'?)",
        ])
    }

    @Test func bothSecretsAreOneTooMany() async {
        let found = await problems("authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n    hmac-secret-file: secret\n")
        #expect(found == ["4:5: authentication.jwt.hmac-secret-file: give hmac-secret or hmac-secret-file, not both"])
    }

    static let badKeySets: [(json: String, problem: String)] = [
        ("not json", "authentication.jwt.jwks-file: keys.json: invalid JSON at byte 0: "),
        (#"[{"kty":"RSA"}]"#, #"authentication.jwt.jwks-file: keys.json: expected a JWK Set, {"keys": [ … ]}"#),
        (#"{"keys":[]}"#, "authentication.jwt.jwks-file: keys.json: no signature keys in the set"),
        (#"{"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}"#, "authentication.jwt.jwks-file: keys.json: no signature keys in the set"),
        (#"{"keys":[1]}"#, "authentication.jwt.jwks-file: keys.json: keys[0]: expected an object"),
        (#"{"keys":[{"kty":"oct","kid":"s","k":"c2VjcmV0"}]}"#, "authentication.jwt.jwks-file: keys.json: keys[0] (kid 's'): kty 'oct' (a shared secret) is not read from a JWK Set; give it as hmac-secret"),
        (#"{"keys":[{"kid":"x"}]}"#, "authentication.jwt.jwks-file: keys.json: keys[0] (kid 'x'): kty missing (expected RSA, EC or OKP)"),
        (#"{"keys":[{"kty":"RSA","kid":"r","alg":"RS256"}]}"#, "authentication.jwt.jwks-file: keys.json: keys[0] (kid 'r'): jwt-kit cannot make an RS256 key of it: Missing RSA primitives"),
        (#"{"keys":[{"kty":"EC","crv":"P-256","kid":"e","x":"AAAA","y":"AAAA"}]}"#, "authentication.jwt.jwks-file: keys.json: keys[0] (kid 'e'): jwt-kit cannot make an ES256 key of it: "),
        (#"{"keys":[{"kty":"EC","crv":"P-192","kid":"e","x":"AAAA","y":"AAAA"}]}"#, "authentication.jwt.jwks-file: keys.json: keys[0] (kid 'e'): "),
    ]

    @Test(arguments: badKeySets)
    func badKeySet(json: String, problem: String) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(json.utf8).write(to: directory.appendingPathComponent("keys.json"))
        let found = await problems("authentication:\n  jwt:\n    jwks-file: keys.json\n", file: directory.appendingPathComponent("p.yaml").path)
        // Every problem of the key set is placed at the file name.
        #expect(found.count == 1 && found[0].hasPrefix("3:16: \(problem)"), "\(found)")
    }
}
