import NIOCore
import SocketTapeWire

/// Where a connection's identity key comes from: the key its rate-limit buckets and connection
/// counts are kept under.
public enum IdentitySource: Sendable, Equatable {
    /// The peer's IP address (default).
    case remoteAddress
    /// The client address a trusted proxy put in `X-Forwarded-For`: when the peer is one of
    /// `trustedProxies` (IPs or CIDR blocks, IPv4 or IPv6), the rightmost address of the header
    /// that is not itself trusted; otherwise the peer's address (a header from anyone else is
    /// ignored, so clients cannot choose their own identity).
    case forwardedFor(trustedProxies: [String])
    /// The value of a request header (case-insensitive name).
    case header(String)
    /// The value of a query parameter of the handshake's target.
    case query(String)
    /// The `token` member of the Socket.IO CONNECT auth payload.
    case socketIOAuthToken
    /// A claim of a JWT. With `authentication.jwt` configured, of the token the proxy verified
    /// (at the handshake, or in the Socket.IO CONNECT that authenticated the session). Without
    /// it, of the token in `Authorization: Bearer …` (or, when there is none, in the Socket.IO
    /// auth `token`), whose signature is NOT verified: a key for buckets, not authentication, and
    /// a client that can mint tokens can spread itself over many keys.
    case jwtClaim(String)

    /// The identity key of a handshake; nil when the source is missing (the caller decides:
    /// fall back to the address).
    ///
    /// - Parameters:
    ///   - remoteAddress: the peer's address: `IP`, `IP:port` or `[IPv6]:port`.
    ///   - target: the request target (`/socket.io/?EIO=4&transport=websocket&token=…`).
    ///   - socketIOAuth: the auth payload of the Socket.IO CONNECT, when there is one.
    ///   - claims: where a `jwt-claim` is read: the verified claims when `authentication` is configured.
    public func key(
        remoteAddress: String,
        headers: [(name: String, value: String)],
        target: String,
        socketIOAuth: JSONValue?,
        claims: ClaimSource = .unverifiedToken
    ) -> String? {
        switch self {
        case .remoteAddress:
            return hostPart(of: remoteAddress)
        case .forwardedFor(let trustedProxies):
            let peer = hostPart(of: remoteAddress)
            let trusted = trustedProxies.compactMap(AddressBlock.init)
            func isTrusted(_ address: String) -> Bool {
                guard let parsed = IPAddress(address) else { return false }
                return trusted.contains { $0.contains(parsed) }
            }
            guard isTrusted(peer) else { return peer }
            let hops = headers.filter { $0.name.lowercased() == "x-forwarded-for" }
                .flatMap { $0.value.split(separator: ",") }
                .map { hostPart(of: String($0.trimmingSpaces)) }
                .filter { !$0.isEmpty }
            for hop in hops.reversed() where !isTrusted(hop) {
                return hop
            }
            return hops.first ?? peer
        case .header(let name):
            let name = name.lowercased()
            return headers.first { $0.name.lowercased() == name }.map { String($0.value.trimmingSpaces) }
                .flatMap { $0.isEmpty ? nil : $0 }
        case .query(let name):
            // Wire's lookup, percent-decoded here: identity values may be any text.
            return queryParameter(name, in: target).map(percentDecode).flatMap { $0.isEmpty ? nil : $0 }
        case .socketIOAuthToken:
            return socketIOAuth?.objectValue?["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        case .jwtClaim(let claim):
            let found: JSONObject?
            switch claims {
            case .verified(let verified):
                found = verified
            case .unverifiedToken:
                let bearer = TokenLocation.default.token(headers: headers, target: target)
                found = (bearer ?? socketIOAuth?.objectValue?["token"]?.stringValue).flatMap(JSONWebToken.unverifiedClaims)
            }
            guard let value = found?[claim] else { return nil }
            switch value {
            case .string(let string): return string.isEmpty ? nil : string
            case .number(let number): return number
            case .bool(let bool): return String(bool)
            case .null: return nil
            case .array, .object: return value.jsonText
            }
        }
    }
}

/// The host of `IP`, `IP:port`, `[IPv6]:port` or a bare IPv6 address.
func hostPart(of address: String) -> String {
    if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
        return String(address[address.index(after: address.startIndex)..<close])
    }
    let colons = address.utf8.count { $0 == UInt8(ascii: ":") }
    if colons == 1, let colon = address.firstIndex(of: ":") {
        return String(address[..<colon])
    }
    return address
}

/// `%XX` escapes and `+` (space) decoded; invalid escapes are kept as written.
func percentDecode(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = Array(text.utf8)[...]
    while let byte = iterator.popFirst() {
        if byte == UInt8(ascii: "+") {
            bytes.append(UInt8(ascii: " "))
        } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
            let high = hexValue(iterator[iterator.startIndex]), let low = hexValue(iterator[iterator.startIndex + 1])
        {
            bytes.append(high << 4 | low)
            iterator = iterator.dropFirst(2)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// Where a `jwt-claim` identity reads its claim.
public enum ClaimSource: Sendable, Equatable {
    /// The token in `Authorization: Bearer …`, else in the Socket.IO auth `token`, unverified
    /// (no `authentication` configured).
    case unverifiedToken
    /// The claims of the token the proxy verified (nil: none verified yet).
    case verified(JSONObject?)
}

