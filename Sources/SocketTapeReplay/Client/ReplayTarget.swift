/// The server a replay talks to, parsed from `--target URL`.
///
/// `ws://` and `http://` mean plain TCP, `wss://` and `https://` TLS; the port defaults to 80
/// or 443. An IPv6 host goes in brackets (`ws://[::1]:8080`). A path in the URL is a prefix
/// put in front of every recorded request target (`ws://host:3000/staging` replays `/chat` as
/// `/staging/chat`). User information, a query and a fragment are refused: the recorded
/// targets carry their own queries, and credentials belong in a `--header`.
public struct ReplayTarget: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address, without brackets.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// Whether connections use TLS (`wss`, `https`).
    public var usesTLS: Bool
    /// The path prefix without a trailing slash; empty when the URL had no path.
    public var pathPrefix: String
    /// The URL as given.
    public var url: String

    /// Parses a `ws`, `wss`, `http` or `https` URL.
    ///
    /// - Throws: ``ReplayConfigurationError``, whose description starts with `--target:` and says
    ///   what is wrong with the URL.
    public init(parsing url: String) throws(ReplayConfigurationError) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw .target(url, "is not a URL (expected ws://HOST[:PORT][/PATH])")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "ws", "http": usesTLS = false
        case "wss", "https": usesTLS = true
        default: throw .target(url, "has scheme '\(scheme)'; use ws, wss, http or https")
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else {
            throw .target(url, "carries user information; send credentials with --header")
        }
        (host, port) = try Self.hostAndPort(authority, defaultPort: usesTLS ? 443 : 80, url: url)
        var path = rest[authorityEnd...]
        guard !path.contains("?"), !path.contains("#") else {
            throw .target(url, "must not carry a query or fragment (the recorded targets have their own)")
        }
        while path.hasSuffix("/") { path.removeLast() }
        pathPrefix = String(path)
        self.url = url
    }

    /// Splits `host`, `host:port`, `[v6]` or `[v6]:port`.
    private static func hostAndPort(
        _ authority: Substring,
        defaultPort: Int,
        url: String
    ) throws(ReplayConfigurationError) -> (String, Int) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .target(url, "has an IPv6 address without its closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw .target(url, "has '\(after)' after the IPv6 address")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
            guard host.contains(":") else {
                throw .target(url, "has '[\(host)]', which is not an IPv6 address")
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
            guard !portText!.contains(":") else {
                throw .target(url, "has an IPv6 address outside brackets (write [ADDRESS]:PORT)")
            }
        }
        guard !host.isEmpty else { throw .target(url, "has no host") }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .target(url, "has port '\(portText)'; expected 1-65535")
        }
        return (String(host), port)
    }

    /// The request target to send for a recorded one: the path prefix, then the recorded target.
    public func requestTarget(for recordedTarget: String) -> String {
        pathPrefix + recordedTarget
    }

    /// The value of the `Host` header (RFC 9110 §7.2): the host, in brackets when it is an IPv6
    /// address, with the port unless it is the scheme's default.
    public var hostHeader: String {
        let name = isIPv6 ? "[\(host)]" : host
        return port == (usesTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// The name sent as TLS SNI and checked against the server's certificate: the host, or nil
    /// for an IP address (SNI carries names only; the certificate is then checked against the address).
    public var serverName: String? {
        isIPv6 || isIPv4 ? nil : host
    }

    /// `host:port`, with brackets around an IPv6 address: how errors name the target.
    public var authority: String {
        isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private var isIPv6: Bool {
        host.contains(":")
    }

    private var isIPv4: Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String {
        url
    }
}
