/// Where the connections of a synthesised capture run: the recorded client and the upstream
/// server, parsed from their record fields, with made-up stand-ins where the tape says nothing usable.
enum CaptureEndpoints {
    /// The client used when a record names none (an HTTP exchange outside any session): 192.0.2.1
    /// (TEST-NET-1, RFC 5737), port 49152.
    static let unknownClient = IPEndpoint(address: [192, 0, 2, 1], port: 49152)

    /// The server used when no `open` record has named an upstream yet: 198.18.0.1:80.
    static let unknownServer = IPEndpoint(address: [198, 18, 0, 1], port: 80)

    /// The endpoint of an `open` record's `client` field (`host:port`, `[v6]:port`). A host that is
    /// not an address literal gets a made-up address; `nil` when there is no port.
    static func client(_ text: String) -> IPEndpoint? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let address = IPAddressLiteral.parse(host) ?? IPAddressLiteral.madeUp(for: host, ipv6: host.contains(":"))
        return IPEndpoint(address: address, port: port)
    }

    /// The server of an upstream URL (`ws://host:port/prefix`; ports 80 and 443 by default for the
    /// plain and TLS schemes), in `client`'s IP version (see ``IPAddressLiteral/converted(_:toIPv6:)``).
    static func server(upstream url: String, client: IPEndpoint) -> IPEndpoint {
        guard let schemeEnd = url.firstRange(of: "://") else { return converted(unknownServer, client: client) }
        let usesTLS = ["wss", "https"].contains(url[..<schemeEnd.lowerBound].lowercased())
        let rest = url[schemeEnd.upperBound...]
        let authority = rest[..<(rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex)]
        var host = String(authority)
        var port: UInt16 = usesTLS ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"), let parsed = UInt16(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = parsed
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let address = IPAddressLiteral.parse(host) ?? IPAddressLiteral.madeUp(for: host, ipv6: client.isIPv6)
        return converted(IPEndpoint(address: address, port: port), client: client)
    }

    private static func converted(_ server: IPEndpoint, client: IPEndpoint) -> IPEndpoint {
        IPEndpoint(address: IPAddressLiteral.converted(server.address, toIPv6: client.isIPv6), port: server.port)
    }
}
