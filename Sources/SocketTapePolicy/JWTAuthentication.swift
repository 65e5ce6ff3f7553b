import SocketTapeWire

/// `authentication.jwt`: sessions must present a valid JWT, at the handshake or (Socket.io) in
/// each CONNECT packet. See ``PolicyEngine/authenticateHandshake(headers:target:socketIO:startsSession:now:)``
/// and ``PolicyEngine/authenticateConnect(_:handshakeAuthenticated:now:)``.
public struct JWTAuthentication: Sendable, Equatable {
    /// Checks a token's signature, times, issuer and audience.
    public var verifier: TokenVerifier
    /// Where a handshake request carries its token.
    public var token: TokenLocation

    public init(verifier: TokenVerifier, token: TokenLocation = .default) {
        self.verifier = verifier
        self.token = token
    }

    /// The rule name of authentication's `policy` records and metrics.
    public static let rule = "authentication.jwt"
}

/// Where a handshake request carries its token.
public enum TokenLocation: Sendable, Equatable {
    /// A request header (case-insensitive name). `Authorization` holds `Bearer <token>` (RFC
    /// 6750 §2.1); any other header holds the token, with or without `Bearer ` before it.
    case header(String)
    /// A query parameter of the request target, percent-decoded.
    case query(String)

    /// `Authorization: Bearer <token>`.
    public static let `default` = TokenLocation.header("Authorization")

    /// The token a request carries here; nil when it has none (an `Authorization` header of
    /// another scheme, such as `Basic`, carries none).
    public func token(headers: [(name: String, value: String)], target: String) -> String? {
        let found: String?
        switch self {
        case .header(let name):
            let name = name.lowercased()
            guard let value = headers.first(where: { $0.name.lowercased() == name })?.value.trimmingSpaces else { return nil }
            if value.lowercased().hasPrefix("bearer ") {
                found = String(value.dropFirst(7).trimmingSpaces)
            } else {
                found = name == "authorization" ? nil : String(value)
            }
        case .query(let name):
            found = queryParameter(name, in: target).map(percentDecode)
        }
        return found.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where the token was looked for, for ``TokenRejection/missing(place:)``.
    public var place: String {
        switch self {
        case .header(let name): name.lowercased() == "authorization" ? "\(name): Bearer" : "header \(name)"
        case .query(let name): "query parameter \(name)"
        }
    }
}
