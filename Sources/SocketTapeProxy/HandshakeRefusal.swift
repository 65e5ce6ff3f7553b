import NIOHTTP1
import SocketTapePolicy

/// A request the policy refuses at its handshake: the proxy answers it itself with `status`, and
/// records a `policy` record (`rule`, action `refuse`, `detail`).
struct HandshakeRefusal {
    var status: HTTPResponseStatus
    var rule: String
    var detail: String
    /// Response headers beyond the usual ones (the `WWW-Authenticate` of a 401).
    var headers: [(name: String, value: String)] = []

    /// 401 for a token `authentication.jwt` refused, with the RFC 6750 §3 challenge:
    /// `Bearer error="invalid_token", error_description="…"`, or a bare `Bearer` when the request
    /// had no token at all (§3.1: then no error code).
    static func unauthorized(_ rejection: TokenRejection) -> HandshakeRefusal {
        let challenge: String
        if case .missing = rejection {
            challenge = "Bearer"
        } else {
            challenge = #"Bearer error="invalid_token", error_description="\#(errorDescription(rejection.description))""#
        }
        return HandshakeRefusal(
            status: .unauthorized, rule: JWTAuthentication.rule, detail: rejection.description,
            headers: [("WWW-Authenticate", challenge)]
        )
    }

    /// `text` with what an `error_description` may not hold (RFC 6750 §3: printable ASCII but `"`
    /// and `\`) replaced: quotes by `'`, anything else by `?`.
    private static func errorDescription(_ text: String) -> String {
        String(decoding: text.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "'")
            case 0x20...0x7E where byte != UInt8(ascii: "\\"): byte
            default: UInt8(ascii: "?")
            }
        }, as: UTF8.self)
    }
}
