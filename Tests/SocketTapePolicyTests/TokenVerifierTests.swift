import Foundation
import JWTKit
import SocketTapePolicy
import SocketTapeWire
import Testing

/// Tokens signed by jwt-kit, checked by the verifier the configuration builds.
@Suite struct TokenVerifierTests {
    static let hmacConfiguration = "    hmac-secret: \"\(Tokens.secret)\"\n"

    @Test func goodHS256TokenGivesItsClaims() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        let token = try await Tokens.hmac(Claims(sub: "ann", exp: Tokens.now + 60))
        let claims = try verifier.verify(token, now: Tokens.now)
        #expect(claims["sub"] == "ann")
        #expect(claims["exp"]?.intValue == 1_800_000_060)
    }

    @Test func badSignature() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        let forged = try await Tokens.hmac(Claims(sub: "ann"), secret: "another secret, just as long as it", kid: nil)
        #expect(outcome(verifier, forged) == "bad signature")
        // The right signature over other claims: one changed byte of the payload.
        let good = try await Tokens.hmac(Claims(sub: "ann"))
        var parts = good.split(separator: ".").map(String.init)
        parts[1] = Tokens.base64URL(Data(#"{"sub":"bob"}"#.utf8))
        #expect(outcome(verifier, parts.joined(separator: ".")) == "bad signature")
    }

    @Test func expiredBeyondTheLeeway() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        let token = try await Tokens.hmac(Claims(exp: Tokens.now - 100))
        #expect(outcome(verifier, token) == "token expired 100 s ago")
        // Within the default leeway of 30 s it still passes; at exactly exp + leeway it does not.
        #expect(outcome(verifier, token, now: Tokens.now - 71) == "ok user-1")
        #expect(outcome(verifier, token, now: Tokens.now - 70) == "token expired 30 s ago")
    }

    @Test func leewayIsConfigurable() async throws {
        let strict = try await makeVerifier(Self.hmacConfiguration + "    leeway: 0\n")
        let token = try await Tokens.hmac(Claims(exp: Tokens.now))
        #expect(outcome(strict, token, now: Tokens.now - 0.5) == "ok user-1")
        #expect(outcome(strict, token) == "token expired 0 s ago")
        #expect(strict.leeway == 0)
        #expect(try await makeVerifier(Self.hmacConfiguration + "    leeway: 2min\n").leeway == 120)
    }

    @Test func notValidBeforeInTheFuture() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        let token = try await Tokens.hmac(Claims(nbf: Tokens.now + 600))
        #expect(outcome(verifier, token) == "token not valid for another 600 s (nbf)")
        #expect(outcome(verifier, token, now: Tokens.now + 571) == "ok user-1")
    }

    @Test func algNoneIsRefused() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        #expect(outcome(verifier, Tokens.unsigned(header: #"{"alg":"none"}"#, claims: #"{"sub":"x"}"#)) == "unsigned token (alg none)")
        #expect(outcome(verifier, Tokens.unsigned(header: #"{"alg":"NONE","typ":"JWT"}"#, claims: "{}")) == "unsigned token (alg none)")
    }

    @Test(arguments: [
        ("", "malformed token: expected 3 dot-separated parts, got 1"),
        ("a.b", "malformed token: expected 3 dot-separated parts, got 2"),
        ("a.b.c.d.e", "malformed token: expected 3 dot-separated parts, got 5"),
        ("@@.e30.", "malformed token: the header is not base64url"),
        ("e30+.e30.", "malformed token: the header is not base64url"),
        ("bm90IGpzb24.e30.", "malformed token: the header is not a JSON object"),
        ("WzFd.e30.", "malformed token: the header is not a JSON object"),
        ("e30.bm90IGpzb24.", "malformed token: the claims set is not a JSON object"),
        ("e30.e30.!!", "malformed token: the signature is not base64url"),
        ("e30.e30.", "malformed token: the header has no alg"),
        ("eyJhbGciOiJIUzI1NiIsImtpZCI6MX0.e30.", "malformed token: the kid is not a string"),
        ("eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiYiJdfQ.e30.", "malformed token: critical header parameters (crit) are not supported"),
    ])
    func malformed(token: String, reason: String) async throws {
        #expect(outcome(try await makeVerifier(Self.hmacConfiguration), token) == reason)
    }

    @Test func timesMustBeNumbers() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: Tokens.secret), digestAlgorithm: .sha256)
        struct TextExpiry: JWTPayload {
            var exp: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let token = try await keys.sign(TextExpiry(exp: "tomorrow"))
        #expect(outcome(verifier, token) == "malformed token: exp is not a number")
    }

    @Test func issuerAndAudience() async throws {
        let verifier = try await makeVerifier(Self.hmacConfiguration + "    issuer: https://auth.example\n    audience: [chat, admin]\n")
        func token(_ iss: String?, _ aud: [String]?) async throws -> String {
            try await Tokens.hmac(Claims(iss: iss, aud: aud))
        }
        #expect(outcome(verifier, try await token("https://auth.example", ["admin"])) == "ok user-1")
        #expect(outcome(verifier, try await token("https://auth.example", ["other", "chat"])) == "ok user-1")
        #expect(outcome(verifier, try await token("https://evil.example", ["chat"]))
            == "wrong issuer 'https://evil.example' (expected 'https://auth.example')")
        #expect(outcome(verifier, try await token(nil, ["chat"])) == "wrong issuer (none) (expected 'https://auth.example')")
        #expect(outcome(verifier, try await token("https://auth.example", ["billing"]))
            == #"wrong audience '["billing"]' (expected 'chat' or 'admin')"#)
        #expect(outcome(verifier, try await token("https://auth.example", nil)) == "wrong audience (none) (expected 'chat' or 'admin')")
    }

    @Test func hmacAlgorithmsNeedSecretsAsLongAsTheirHash() async throws {
        let long = String(repeating: "k", count: 64)
        let hs512 = try await JWTKeyCollection().add(hmac: HMACKey(from: long), digestAlgorithm: .sha512).sign(Claims(sub: "x"))
        let verifier = try await makeVerifier(Self.hmacConfiguration)
        #expect(verifier.keys.keys.map(\.algorithm) == ["HS256"])
        #expect(outcome(verifier, hs512) == "no key for alg 'HS512'")
        let longVerifier = try await makeVerifier("    hmac-secret: \(long)\n")
        #expect(longVerifier.keys.keys.map(\.algorithm) == ["HS256", "HS384", "HS512"])
        #expect(outcome(longVerifier, hs512) == "ok x")
    }

    @Test func jwksWithAnRS256AndAnES256Key() async throws {
        let rsa = try Tokens.newRSAKey()
        let ec = ES256PrivateKey()
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let jwks = #"{"keys":[\#(try Tokens.jwk(rsa, kid: "rsa-1")),\#(try Tokens.jwk(ec, kid: "ec-1")),{"kty":"RSA","use":"enc","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"}]}"#
        try Data(jwks.utf8).write(to: directory.appendingPathComponent("keys.json"))
        let verifier = try await makeVerifier("    jwks-file: keys.json\n", file: directory.appendingPathComponent("policy.yaml").path)
        // The encryption key is skipped; the EC key without alg serves its curve's algorithm.
        #expect(verifier.keys.keys.map { "\($0.kid ?? "-") \($0.algorithm) \($0.origin)" }
            == ["rsa-1 RS256 keys[0] (kid 'rsa-1')", "ec-1 ES256 keys[1] (kid 'ec-1')"])

        #expect(outcome(verifier, try await Tokens.rsa(Claims(sub: "by-rsa"), key: rsa, kid: "rsa-1")) == "ok by-rsa")
        #expect(outcome(verifier, try await Tokens.es256(Claims(sub: "by-ec"), key: ec, kid: "ec-1")) == "ok by-ec")
        // Another key under a known kid; a kid nobody has; a kid of another algorithm.
        #expect(outcome(verifier, try await Tokens.es256(Claims(), key: ES256PrivateKey(), kid: "ec-1")) == "bad signature")
        #expect(outcome(verifier, try await Tokens.es256(Claims(), key: ec, kid: "ec-2")) == "no key for kid 'ec-2'")
        #expect(outcome(verifier, try await Tokens.rsa(Claims(), key: rsa, kid: "ec-1")) == "no key for alg 'RS256'")
        // An HS256 token, even one "signed" with the public key's text: no HMAC key is configured.
        #expect(outcome(verifier, try await Tokens.hmac(Claims(), secret: rsa.publicKey.pemRepresentation)) == "no key for alg 'HS256'")
    }
}
