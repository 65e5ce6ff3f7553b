/// The URL an entry shows, as the browser showed it, and the request target back from it.
enum HARURL {
    /// `ws://example.com/chat?room=1`: the scheme the session's upstream URL implies (`ws`/`wss`
    /// for WebSocket, `http`/`https` for polling), the `Host` header (or, without one, the
    /// upstream's host) and the target.
    static func url(target: String, headers: [HeaderField], upstream: String, webSocket: Bool) -> String {
        let secure = upstream.hasPrefix("wss://") || upstream.hasPrefix("https://")
        let scheme = webSocket ? (secure ? "wss" : "ws") : (secure ? "https" : "http")
        let host = headers.first { $0.name.lowercased() == "host" }?.value ?? authority(of: upstream)
        return "\(scheme)://\(host)\(target)"
    }

    /// The path and query of `url` (`/` when it has neither); the fragment is dropped.
    static func target(of url: String) -> String {
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let rest = afterScheme.drop { $0 != "/" && $0 != "?" && $0 != "#" }.prefix { $0 != "#" }
        if rest.isEmpty { return "/" }
        return rest.hasPrefix("?") ? "/" + rest : String(rest)
    }

    /// The `host[:port]` of `url`.
    static func authority(of url: String) -> String {
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        return String(afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }

    /// The upstream URL of an imported browser session: the URL's scheme (`ws`/`wss`; polling's
    /// `http`/`https` become them), the server address DevTools saw (else the URL's host) and the
    /// URL's port (else the scheme's default).
    static func upstream(url: String, serverIPAddress: String?) -> String {
        let scheme = url.prefix { $0 != ":" }.lowercased()
        let secure = scheme == "wss" || scheme == "https"
        let authority = authority(of: url)
        let (host, port) = split(authority)
        var server = serverIPAddress.flatMap { $0.isEmpty ? nil : $0 } ?? host
        if server.contains(":"), !server.hasPrefix("[") { server = "[\(server)]" }
        return "\(secure ? "wss" : "ws")://\(server):\(port ?? (secure ? "443" : "80"))"
    }

    /// `host` and `port` of `host:port` (`[v6]:port` for IPv6).
    private static func split(_ authority: String) -> (host: String, port: String?) {
        let hostEnd = authority.hasPrefix("[") ? authority.firstIndex(of: "]").map(authority.index(after:)) : authority.firstIndex(of: ":")
        guard let hostEnd, hostEnd < authority.endIndex, authority[hostEnd] == ":" else { return (authority, nil) }
        return (String(authority[..<hostEnd]), String(authority[authority.index(after: hostEnd)...]))
    }

    /// The query's `name=value` pairs as written (HAR's `queryString`).
    static func queryString(of target: String) -> [(name: String, value: String)] {
        guard let question = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: question)...].split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }
}
