/// The server the proxy forwards to, parsed from `--upstream`.
///
/// `ws://` and `http://` are plain TCP, `wss://` and `https://` TLS. A path in the URL is a prefix
/// put in front of every request target (`ws://host:3000/api` sends `/chat` as `/api/chat`).
public struct UpstreamEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var usesTLS: Bool
    /// Path prefix without a trailing slash; empty when the URL had none.
    public var pathPrefix: String
    /// The URL as given, for the tape and messages.
    public var url: String

    /// Parses a `ws`, `wss`, `http` or `https` URL.
    ///
    /// - Throws: ``ProxyConfigurationError`` saying what is wrong with the URL.
    public init(parsing url: String) throws(ProxyConfigurationError) {
        guard let schemeEnd = url.range(of: "://") else {
            throw .init("upstream '\(url)' is not a URL (expected ws://HOST:PORT)")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "ws", "http": self.usesTLS = false
        case "wss", "https": self.usesTLS = true
        default: throw .init("upstream '\(url)' has scheme '\(scheme)'; use ws, wss, http or https")
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty else { throw .init("upstream '\(url)' has no host") }
        let defaultPort = usesTLS ? 443 : 80
        if authority.hasSuffix("]") || !authority.contains(":") {
            self.host = authority.trimmingBrackets()
            self.port = defaultPort
        } else {
            let parsed = try HostAndPort(parsing: authority)
            self.host = parsed.host
            self.port = parsed.port
        }
        var prefix = String(rest[authorityEnd...])
        while prefix.hasSuffix("/") { prefix.removeLast() }
        guard !prefix.contains("?") else { throw .init("upstream '\(url)' must not carry a query") }
        self.pathPrefix = prefix
        self.url = url
    }

    /// The request target to send upstream for a target the client sent.
    public func upstreamTarget(for clientTarget: String) -> String {
        pathPrefix.isEmpty ? clientTarget : pathPrefix + clientTarget
    }

    /// The host name to send as TLS SNI and to verify the certificate against; `nil` for IP literals.
    var serverNameIndication: String? {
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIPv4 || host.contains(":") ? nil : host
    }

    public var description: String { url }
}

extension String {
    fileprivate func trimmingBrackets() -> String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
