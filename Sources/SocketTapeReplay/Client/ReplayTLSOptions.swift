/// How replay connections to a `wss://` or `https://` target do TLS.
///
/// The server's certificate is always verified: against the system's trust roots plus those of
/// ``caFile``, and against ``serverName`` (or the target's host, or for an IP address the address).
/// NIOSSL also accepts a certificate whose IP address entry is the address connected to,
/// whatever the name.
public struct ReplayTLSOptions: Sendable, Hashable {
    /// A PEM file of extra CA certificates to trust (a test server's self-signed certificate).
    public var caFile: String?
    /// The name to send as SNI and to check the certificate against, instead of the target's host.
    public var serverName: String?

    public init(caFile: String? = nil, serverName: String? = nil) {
        self.caFile = caFile
        self.serverName = serverName
    }
}
