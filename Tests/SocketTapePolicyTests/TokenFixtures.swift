import CryptoExtras
import Foundation
import JWTKit
import SocketTapePolicy
import SocketTapeWire
import Testing

/// The claims the tests sign, as an issuer would.
struct Claims: JWTPayload, Equatable {
    var sub: String
    var exp: Double?
    var nbf: Double?
    var iss: String?
    var aud: [String]?

    init(sub: String = "user-1", exp: Double? = nil, nbf: Double? = nil, iss: String? = nil, aud: [String]? = nil) {
        self.sub = sub
        self.exp = exp
        self.nbf = nbf
        self.iss = iss
        self.aud = aud
    }

    /// The tests check times themselves, through the verifier under test.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Keys and tokens made with jwt-kit (and swift-crypto, for RSA), the way an issuer makes them.
enum Tokens {
    /// A 32-byte HMAC secret, long enough for HS256 only.
    static let secret = "0123456789abcdef0123456789abcdef"
    /// The verification time of every test: 2027-01-15T08:00:00Z.
    static let now: Double = 1_800_000_000

    static func hmac(_ claims: Claims, secret: String = secret, kid: String? = nil) async throws -> String {
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims, kid: kid.map(JWKIdentifier.init(string:)))
    }

    static func rsa(_ claims: Claims, key: JWTKit.Insecure.RSA.PrivateKey, kid: String) async throws -> String {
        let keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256)
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    static func es256(_ claims: Claims, key: ES256PrivateKey, kid: String) async throws -> String {
        let keys = await JWTKeyCollection().add(ecdsa: key)
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// A token with this header and these claims (JSON text) and no signature.
    static func unsigned(header: String, claims: String) -> String {
        "\(base64URL(Data(header.utf8))).\(base64URL(Data(claims.utf8)))."
    }

    static func newRSAKey() throws -> JWTKit.Insecure.RSA.PrivateKey {
        try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    /// The public JWK of an RSA key: `{"kty":"RSA","alg":"RS256","kid":…,"n":…,"e":…}`.
    static func jwk(_ key: JWTKit.Insecure.RSA.PrivateKey, kid: String) throws -> String {
        let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
        return #"{"kty":"RSA","alg":"RS256","use":"sig","kid":"\#(kid)","n":"\#(base64URL(modulus))","e":"\#(base64URL(exponent))"}"#
    }

    /// The public JWK of a P-256 key, without `alg` (the curve says ES256).
    static func jwk(_ key: ES256PrivateKey, kid: String) throws -> String {
        let (x, y) = try #require(key.parameters)
        return #"{"kty":"EC","crv":"P-256","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}"#
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The verifier of a configuration whose `authentication.jwt` section is `jwt` (indented by four).
func makeVerifier(_ jwt: String, file: String = "auth.yaml") async throws -> TokenVerifier {
    try await authentication(jwt, file: file).verifier
}

func authentication(_ jwt: String, file: String = "auth.yaml") async throws -> JWTAuthentication {
    let configuration = try await PolicyConfiguration.parse(yaml: "authentication:\n  jwt:\n\(jwt)", file: file)
    return try #require(configuration.authentication)
}

/// What `verifier` makes of `token` at ``Tokens/now``: the subject, or the rejection's text.
func outcome(_ verifier: TokenVerifier, _ token: String, now: Double = Tokens.now) -> String {
    do throws(TokenRejection) {
        return "ok \(try verifier.verify(token, now: now)["sub"]?.stringValue ?? "-")"
    } catch {
        return error.description
    }
}

/// A directory of its own under the system's temporary directory, for files a configuration names.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sockettape-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
