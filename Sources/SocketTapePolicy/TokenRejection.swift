/// Why a token is not accepted. The ``description`` is the reason the client is told (in the
/// 401's `WWW-Authenticate`, or the Socket.IO CONNECT_ERROR) and the `policy` record's detail.
public enum TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no token where one was looked for; `place` names it (`Authorization: Bearer`).
    case missing(place: String)
    /// Not a compact JWT: the reason names the part.
    case malformed(String)
    /// `alg: none`: an unsigned token.
    case unsigned
    /// The header names a `kid` that no configured key has.
    case unknownKey(kid: String)
    /// No configured key verifies this `alg`.
    case unacceptedAlgorithm(String)
    /// No key with this `kid` and `alg` verifies the signature.
    case badSignature
    /// `exp` (plus the leeway) has passed.
    case expired(secondsAgo: Int)
    /// `nbf` (minus the leeway) has not come yet.
    case notYetValid(secondsLeft: Int)
    /// `iss` is not the configured issuer (nil: the token has none).
    case wrongIssuer(String?, expected: String)
    /// `aud` names none of the configured audiences (nil: the token has none).
    case wrongAudience(String?, expected: [String])

    public var description: String {
        switch self {
        case .missing(let place): "missing token (none in \(place))"
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsigned: "unsigned token (alg none)"
        case .unknownKey(let kid): "no key for kid \(quoted(kid))"
        case .unacceptedAlgorithm(let alg): "no key for alg \(quoted(alg))"
        case .badSignature: "bad signature"
        case .expired(let seconds): "token expired \(seconds) s ago"
        case .notYetValid(let seconds): "token not valid for another \(seconds) s (nbf)"
        case .wrongIssuer(let issuer, let expected):
            "wrong issuer \(issuer.map(quoted) ?? "(none)") (expected \(quoted(expected)))"
        case .wrongAudience(let audience, let expected):
            "wrong audience \(audience.map(quoted) ?? "(none)") (expected \(expected.map(quoted).joined(separator: " or ")))"
        }
    }
}

/// `'value'`, cut to 64 characters: values come from tokens, and end up in headers and on the tape.
private func quoted(_ value: String) -> String {
    value.count <= 64 ? "'\(value)'" : "'\(value.prefix(61))...'"
}
