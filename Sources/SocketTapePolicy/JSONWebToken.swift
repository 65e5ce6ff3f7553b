import NIOCore
import SocketTapeWire

/// A JWT in compact serialization (RFC 7519 §3, RFC 7515 §7.1), split and decoded but not
/// verified: `BASE64URL(header) "." BASE64URL(claims) "." BASE64URL(signature)`.
struct JSONWebToken {
    /// The JOSE header (`alg`, `kid`, `typ`, …).
    var header: JSONObject
    /// The claims set (`sub`, `exp`, `iss`, …).
    var claims: JSONObject
    /// What the signature signs: the first two parts and the dot between them, as sent.
    var signingInput: [UInt8]
    /// The signature's bytes.
    var signature: [UInt8]

    /// Splits and decodes `token`.
    ///
    /// - Throws: ``TokenRejection/malformed(_:)`` naming the part that is not three parts, not
    ///   base64url or not a JSON object.
    init(compact token: Substring) throws(TokenRejection) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .malformed("expected 3 dot-separated parts, got \(parts.count)")
        }
        header = try Self.object(parts[0], "header")
        claims = try Self.object(parts[1], "claims set")
        guard let signature = decodeBase64URL(parts[2]) else { throw .malformed("the signature is not base64url") }
        self.signature = Array(signature.readableBytesView)
        signingInput = Array(token.utf8[..<parts[1].endIndex])
    }

    private static func object(_ part: Substring, _ name: String) throws(TokenRejection) -> JSONObject {
        guard let bytes = decodeBase64URL(part) else { throw .malformed("the \(name) is not base64url") }
        guard let object = (try? JSONValue(parsing: bytes))?.objectValue else {
            throw .malformed("the \(name) is not a JSON object")
        }
        return object
    }

    /// The claims of `token`, nothing checked: for identity keys when no `authentication` is configured.
    static func unverifiedClaims(_ token: String) -> JSONObject? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = decodeBase64URL(parts[1]) else { return nil }
        return (try? JSONValue(parsing: payload))?.objectValue
    }
}

/// base64url (RFC 4648 §5, as JWS uses it: RFC 7515 §2): base64 with `-` and `_` for `+` and
/// `/`, without padding. Text with `+`, `/` or `=` is not base64url; nil then.
func decodeBase64URL(_ text: Substring) -> ByteBuffer? {
    var standard: [UInt8] = []
    standard.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): return nil
        case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
        case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
        default: standard.append(byte)
        }
    }
    return try? Base64.decode(ByteBuffer(bytes: standard))
}
