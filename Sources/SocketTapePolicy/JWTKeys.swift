import JWTKit

/// The keys tokens are verified with: one jwt-kit algorithm per key and JWS `alg`, built once when
/// the configuration is loaded, then used synchronously on any thread.
///
/// jwt-kit keeps keys in `JWTKeyCollection`, an actor: verifying through it costs an `await` per
/// token, a hop off the event loop for every handshake. The algorithms it builds (`JWTAlgorithm`)
/// verify synchronously, so ``build(_:)`` asks a collection for each key's algorithm once and the
/// table keeps them.
public struct JWTKeys: Sendable, Equatable {
    /// One key, for one algorithm.
    public struct Key: Sendable, Equatable {
        /// The `kid` tokens name it by; nil for the HMAC secret and for JWKs without one (such a
        /// key is tried for any `kid`).
        public var kid: String?
        /// The JWS `alg` it verifies: `HS256`, `RS256`, `PS256`, `ES256`, `EdDSA`, …
        public var algorithm: String
        /// Where it was configured: `hmac-secret`, or `keys[N]` of the JWKS file.
        public var origin: String
        /// jwt-kit's algorithm holding the key.
        let verifier: any JWTAlgorithm

        /// Keys are equal when they have the same `kid`, algorithm and origin (the key material
        /// itself is not compared).
        public static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.kid == rhs.kid && lhs.algorithm == rhs.algorithm && lhs.origin == rhs.origin
        }
    }

    /// In configuration order: the HMAC secret's algorithms, then the JWKs'.
    public private(set) var keys: [Key]

    /// The keys that may have signed a token with this `alg` and `kid`: those of the `alg` with
    /// that `kid` or with none.
    ///
    /// - Throws: ``TokenRejection/unknownKey(kid:)`` when no key fits and no key at all has the
    ///   token's `kid`; else ``TokenRejection/unacceptedAlgorithm(_:)``.
    func candidates(alg: String, kid: String?) throws(TokenRejection) -> [Key] {
        let fitting = keys.filter { $0.algorithm == alg && ($0.kid == nil || $0.kid == kid) }
        guard fitting.isEmpty else { return fitting }
        if let kid, !keys.contains(where: { $0.kid == kid }) { throw .unknownKey(kid: kid) }
        throw .unacceptedAlgorithm(alg)
    }
}

/// A key as the configuration file gives it, before jwt-kit builds it.
enum KeyMaterial: Sendable {
    /// The shared secret of `hmac-secret` or `hmac-secret-file`.
    case hmacSecret([UInt8])
    /// A key of the JWKS file, named `keys[N]` in problems.
    case jwk(JWK, name: String)
}

extension JWTKeys {
    /// The HMAC algorithms and the bytes of key each needs at least (RFC 7518 §3.2: a key as long
    /// as the hash).
    static let hmacAlgorithms: [(name: String, digest: DigestAlgorithm, minimumBytes: Int)] = [
        ("HS256", .sha256, 32), ("HS384", .sha384, 48), ("HS512", .sha512, 64),
    ]

    /// Builds the keys with jwt-kit: from the secret each HMAC algorithm it is long enough for;
    /// from a JWK its `alg`, or when it has none every algorithm its key type and curve allow (RSA:
    /// RS256–RS512 and PS256–PS512; EC: the curve's ES algorithm; OKP: EdDSA).
    ///
    /// - Returns: the keys, and the problems found: the index in `materials` of the key, and why
    ///   jwt-kit could not use it.
    static func build(_ materials: [KeyMaterial]) async -> (keys: JWTKeys, problems: [(index: Int, message: String)]) {
        var keys: [Key] = []
        var problems: [(index: Int, message: String)] = []
        for (index, material) in materials.enumerated() {
            switch material {
            case .hmacSecret(let secret):
                for (name, digest, minimumBytes) in hmacAlgorithms where secret.count >= minimumBytes {
                    let collection = JWTKeyCollection()
                    await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest)
                    do {
                        keys.append(Key(kid: nil, algorithm: name, origin: "hmac-secret", verifier: try await collection.getKey()))
                    } catch {
                        problems.append((index, "jwt-kit cannot make an \(name) key: \(describe(error))"))
                    }
                }
            case .jwk(let jwk, let name):
                let algorithms = jwk.algorithm.map { [$0.rawValue] } ?? Self.algorithms(for: jwk)
                guard !algorithms.isEmpty else {
                    problems.append((index, "\(name): no signature algorithm for kty '\(jwk.keyType.rawValue)' with crv '\(jwk.curve?.rawValue ?? "")'"))
                    continue
                }
                for algorithm in algorithms {
                    do {
                        keys.append(Key(
                            kid: jwk.keyIdentifier?.string, algorithm: algorithm, origin: name,
                            verifier: try await verifier(for: jwk, algorithm: algorithm)
                        ))
                    } catch {
                        problems.append((index, "\(name): jwt-kit cannot make an \(algorithm) key of it: \(describe(error))"))
                    }
                }
            }
        }
        return (JWTKeys(keys: keys), problems)
    }

    /// Every JWS algorithm a JWK without `alg` may serve.
    private static func algorithms(for jwk: JWK) -> [String] {
        switch jwk.keyType {
        case .rsa: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        case .ecdsa:
            switch jwk.curve?.rawValue {
            case "P-256": ["ES256"]
            case "P-384": ["ES384"]
            case "P-521": ["ES512"]
            default: []
            }
        case .octetKeyPair: jwk.curve?.rawValue == "Ed25519" ? ["EdDSA"] : []
        default: []
        }
    }

    /// jwt-kit's algorithm for `jwk` and `algorithm`, from a collection of its own (a collection
    /// files JWKs by `kid`, and keeps the first algorithm it made for each).
    private static func verifier(for jwk: JWK, algorithm: String) async throws -> any JWTAlgorithm {
        var filed = jwk
        filed.keyIdentifier = "key"
        let collection = JWTKeyCollection()
        try await collection.add(jwk: filed)
        let verifier = try await collection.getKey(for: "key", alg: algorithm)
        guard verifier.name == algorithm else {
            throw JWTError.invalidJWK(reason: "jwt-kit made \(verifier.name), not \(algorithm)")
        }
        return verifier
    }
}

/// jwt-kit's reason, or the decoding error's, in a few words.
func describe(_ error: any Error) -> String {
    if let error = error as? JWTError, let reason = error.reason { return reason }
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
}
