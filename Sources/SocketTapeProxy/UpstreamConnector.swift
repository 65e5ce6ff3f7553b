import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Opens connections to the upstream: TCP (or TLS) with HTTP/1.1 client codecs, on the event loop
/// of the client connection that needs it, so that both ends of a session share one loop.
///
/// The upstream's address is resolved once at start-up: connecting by address skips a
/// `getaddrinfo` and Happy Eyeballs per connection, which dominates handshake churn.
struct UpstreamConnector: Sendable {
    let endpoint: UpstreamEndpoint
    let address: SocketAddress
    let tlsContext: NIOSSLContext?
    /// The endpoint's ``UpstreamEndpoint/serverNameIndication``, worked out once.
    let serverName: String?
    let connectTimeout: TimeAmount

    /// Resolves the upstream and builds its TLS context.
    ///
    /// - Throws: ``ProxyConfigurationError`` when the host does not resolve or the CA file is unreadable.
    init(endpoint: UpstreamEndpoint, caFile: String?, connectTimeout: TimeAmount) throws {
        self.endpoint = endpoint
        self.serverName = endpoint.serverNameIndication
        self.connectTimeout = connectTimeout
        do {
            self.address = try SocketAddress.makeAddressResolvingHost(endpoint.host, port: endpoint.port)
        } catch {
            throw ProxyConfigurationError("upstream host '\(endpoint.host)' does not resolve: \(error)")
        }
        guard endpoint.usesTLS else {
            self.tlsContext = nil
            return
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                let extra = try NIOSSLCertificate.fromPEMFile(caFile)
                tls.additionalTrustRoots = [.certificates(extra)]
            } catch {
                throw ProxyConfigurationError("--upstream-ca \(caFile): cannot read PEM certificates: \(error)")
            }
        }
        do {
            self.tlsContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw ProxyConfigurationError("cannot set up TLS to the upstream: \(error)")
        }
    }

    /// Connects on `eventLoop`; the channel's pipeline ends with the HTTP client codecs, ready for
    /// the caller to add its handler.
    ///
    /// - Parameter forUpgrade: the connection carries a WebSocket handshake: its HTTP goes through
    ///   a ``PlainUpgradeClientCodec``, which leaves anything but a plain `GET` and 101 to NIO's codecs.
    func connect(on eventLoop: any EventLoop, forUpgrade: Bool) -> EventLoopFuture<any Channel> {
        let tlsContext = self.tlsContext
        let serverName = self.serverName
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.setProxiedSocketOptions()
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    if forUpgrade {
                        try sync.addHandler(PlainUpgradeClientCodec())
                    } else {
                        try sync.addHandler(HTTPRequestEncoder())
                        try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)))
                    }
                }
            }
            .connect(to: address)
    }
}
