import NIOCore
import NIOPosix
import NIOSSL

/// Opens TCP or TLS connections to one ``ReplayTarget``; made once and shared by all sessions.
///
/// The target's host is resolved once, here, and every connection goes to that address:
/// resolving per connection costs a `getaddrinfo` and Happy Eyeballs each time, which dominates
/// connection churn. The TLS context (with the CA file read) is likewise built once.
public struct ReplayConnector: Sendable {
    /// The target.
    public let target: ReplayTarget
    /// The address the target's host resolved to (its first address).
    public let address: SocketAddress
    /// How long a TCP connect may take.
    public let connectTimeout: TimeAmount
    private let tlsContext: NIOSSLContext?
    private let serverName: String?

    /// Resolves the target and prepares TLS.
    ///
    /// Resolving blocks on `getaddrinfo`: call this once at start-up, not on an event loop.
    ///
    /// - Parameters:
    ///   - target: The server to connect to.
    ///   - tls: The CA file and server name for a TLS target (ignored for plain TCP).
    ///   - connectTimeout: How long a TCP connect may take before it fails.
    /// - Throws: ``ReplayConfigurationError`` when the host does not resolve, the CA file cannot
    ///   be read, or the TLS context cannot be made.
    public init(
        target: ReplayTarget,
        tls: ReplayTLSOptions = .init(),
        connectTimeout: TimeAmount = .seconds(10)
    ) throws(ReplayConfigurationError) {
        self.target = target
        self.connectTimeout = connectTimeout
        do {
            address = try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
        } catch {
            throw ReplayConfigurationError("--target: host '\(target.host)' does not resolve: \(error)")
        }
        serverName = tls.serverName ?? target.serverName
        guard target.usesTLS else {
            tlsContext = nil
            return
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = tls.caFile {
            do {
                configuration.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            } catch {
                throw ReplayConfigurationError("CA file '\(caFile)': cannot read PEM certificates: \(error)")
            }
        }
        do {
            tlsContext = try NIOSSLContext(configuration: configuration)
        } catch {
            throw ReplayConfigurationError("cannot set up TLS for '\(target.url)': \(error)")
        }
    }

    /// The name the server's certificate is checked against: the server name, else the host.
    var verifiedName: String {
        serverName ?? target.host
    }

    /// Connects on `eventLoop`, with TCP_NODELAY and the given write-buffer water marks.
    ///
    /// - Parameters:
    ///   - addHandlers: Adds the caller's handlers after the TLS handler, if any. Runs on the
    ///     channel's loop before it is active.
    /// - Returns: The channel once TCP is connected (TLS may still be negotiating), or a
    ///   ``ReplayClientError`` of kind ``ReplayClientError/Kind/connect``.
    func connect(
        on eventLoop: any EventLoop,
        waterMark: ChannelOptions.Types.WriteBufferWaterMark,
        addHandlers: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void
    ) -> EventLoopFuture<any Channel> {
        let tlsContext = tlsContext
        let serverName = serverName
        let address = address
        let connectTimeout = connectTimeout
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: waterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    try addHandlers(sync)
                }
            }
            .connect(to: address)
            .flatMapErrorThrowing { error in
                throw ConnectFailure.describe(error, address: address, timeout: connectTimeout)
            }
    }
}
