/// A `HOST:PORT` pair as written on the command line (`127.0.0.1:8080`, `[::1]:8080`, `localhost:0`).
public struct HostAndPort: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; IPv6 hosts go in brackets.
    ///
    /// - Throws: ``ProxyConfigurationError`` naming what is wrong with the text.
    public init(parsing text: String) throws(ProxyConfigurationError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw .init("'\(text)' is not HOST:PORT")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { throw .init("'\(text)' has no host") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw .init("'\(text)' has no valid port (0-65535)")
        }
        self.init(host: host, port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A configuration value the proxy cannot run with.
public struct ProxyConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
