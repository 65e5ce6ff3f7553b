#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JWTKit
import SocketTapeWire

/// Verifies JWTs (`authentication.jwt`): the signature with jwt-kit, then `exp`, `nbf` and, when
/// configured, `iss` and `aud`. Synchronous and safe to share between event loops.
public struct TokenVerifier: Sendable, Equatable {
    /// The keys a signature may be made with.
    public var keys: JWTKeys
    /// The `iss` a token must have (nil: any).
    public var issuer: String?
    /// The `aud` values of which a token must name one (nil: any).
    public var audiences: [String]?
    /// Seconds of clock difference forgiven on `exp` and `nbf`.
    public var leeway: Int

    /// The leeway unless configured: clocks of issuers and proxies drift apart by seconds, not
    /// minutes, and a token expired for longer is refused.
    public static let defaultLeeway = 30

    public init(keys: JWTKeys, issuer: String? = nil, audiences: [String]? = nil, leeway: Int = defaultLeeway) {
        self.keys = keys
        self.issuer = issuer
        self.audiences = audiences
        self.leeway = leeway
    }

    /// The claims of `token` when it is a compact JWS signed by one of the keys and valid at
    /// `now` (seconds since 1970-01-01T00:00:00Z).
    ///
    /// Checks, in order: three base64url parts with JSON object header and claims; an `alg` that
    /// is not `none` and no `crit` header; a key for the `alg` and `kid`
    /// (``JWTKeys/candidates(alg:kid:)``) whose signature matches; `exp` and `nbf` (numbers, with
    /// the leeway; a token without them does not expire); the issuer and the audience.
    ///
    /// - Throws: ``TokenRejection`` saying which check failed.
    public func verify(_ token: some StringProtocol, now: Double) throws(TokenRejection) -> JSONObject {
        let jwt = try JSONWebToken(compact: Substring(token))
        guard case .string(let alg)? = jwt.header["alg"] else { throw .malformed("the header has no alg") }
        guard alg.lowercased() != "none" else { throw .unsigned }
        guard jwt.header["crit"] == nil else { throw .malformed("critical header parameters (crit) are not supported") }
        let kid: String?
        switch jwt.header["kid"] {
        case nil: kid = nil
        case .string(let value)?: kid = value
        default: throw .malformed("the kid is not a string")
        }
        let candidates = try keys.candidates(alg: alg, kid: kid)
        guard candidates.contains(where: { (try? $0.verifier.verify(jwt.signature, signs: jwt.signingInput)) == true }) else {
            throw .badSignature
        }
        try checkTimes(jwt.claims, now: now)
        if let issuer {
            let given = jwt.claims["iss"]
            guard given?.stringValue == issuer else { throw .wrongIssuer(given.map(Self.text), expected: issuer) }
        }
        if let audiences {
            let given = jwt.claims["aud"]
            let named = given?.stringValue.map { [$0] } ?? given?.arrayValue?.compactMap(\.stringValue) ?? []
            guard named.contains(where: audiences.contains) else { throw .wrongAudience(given.map(Self.text), expected: audiences) }
        }
        return jwt.claims
    }

    private func checkTimes(_ claims: JSONObject, now: Double) throws(TokenRejection) {
        let slack = Double(leeway)
        if let expires = try Self.numericDate(claims, "exp"), now >= expires + slack {
            throw .expired(secondsAgo: Int((now - expires).rounded(.down)))
        }
        if let notBefore = try Self.numericDate(claims, "nbf"), now + slack < notBefore {
            throw .notYetValid(secondsLeft: Int((notBefore - now).rounded(.up)))
        }
    }

    /// A NumericDate claim (RFC 7519 §2: seconds since the epoch, a JSON number).
    private static func numericDate(_ claims: JSONObject, _ name: String) throws(TokenRejection) -> Double? {
        guard let value = claims[name] else { return nil }
        guard case .number(let text) = value, let seconds = Double(text) else { throw .malformed("\(name) is not a number") }
        return seconds
    }

    /// A claim's value for a message: a string as it is, anything else as JSON.
    private static func text(_ value: JSONValue) -> String {
        value.stringValue ?? value.jsonText
    }

    /// Now, in seconds since 1970-01-01T00:00:00Z (the clock `exp` and `nbf` count on).
    public static func currentTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
