import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SocketTapeTape

/// The running proxy: a listener whose connections are relayed to the upstream and recorded.
///
/// ```swift
/// let server = try await ProxyServer.start(configuration: configuration, writer: writer)
/// // … until a signal:
/// await server.shutdown()
/// try writer.close()
/// ```
public final class ProxyServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let environment: ProxyEnvironment
    private let logger: Logger
    private let pollingSessionSweep: RepeatedTask
    private let adminChannel: (any Channel)?

    /// The address the listener is bound to (with the real port when `--listen` asked for port 0).
    public let localAddress: HostAndPort
    /// The admin listener's address (`/metrics`, `/healthz`), when there is one.
    public let adminAddress: HostAndPort?

    private init(
        group: MultiThreadedEventLoopGroup, serverChannel: any Channel, adminChannel: (any Channel)?,
        environment: ProxyEnvironment, logger: Logger
    ) {
        self.group = group
        self.serverChannel = serverChannel
        self.adminChannel = adminChannel
        self.adminAddress = adminChannel.map { channel in
            HostAndPort(host: channel.localAddress?.ipAddress ?? "", port: channel.localAddress?.port ?? 0)
        }
        self.environment = environment
        self.logger = logger
        self.pollingSessionSweep = group.next().scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in
            environment.endPollingSessions(environment.engineIOSessions.expire(now: .now()), reason: "polling session went silent")
        }
        let bound = serverChannel.localAddress
        self.localAddress = HostAndPort(
            host: bound?.ipAddress ?? environment.configuration.listen.host,
            port: bound?.port ?? environment.configuration.listen.port
        )
    }

    /// Resolves the upstream, loads TLS material, binds the listener and starts accepting.
    ///
    /// - Parameters:
    ///   - configuration: what to run.
    ///   - writer: the tape to record to, or `nil` to relay without recording.
    ///   - logger: where connection-level problems are logged.
    /// - Throws: ``ProxyConfigurationError`` for unusable settings, or the bind error.
    public static func start(configuration: ProxyConfiguration, writer: TapeWriter?, logger: Logger = Logger(label: "sockettape.proxy")) async throws -> ProxyServer {
        let connector = try UpstreamConnector(
            endpoint: configuration.upstream,
            caFile: configuration.upstreamCAFile,
            connectTimeout: configuration.connectTimeout
        )
        let tlsContext = try configuration.tlsListener.map(makeServerTLSContext)
        let environment = ProxyEnvironment(configuration: configuration, connector: connector, writer: writer)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Inherited by every accepted socket.
            .serverChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.setProxiedSocketOptions()
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        try sync.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try sync.addHandler(PlainServerCodec())
                    try sync.addHandler(ClientConnectionHandler(environment: environment, clientUsedTLS: tlsContext != nil))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.listen.host, port: configuration.listen.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw ProxyConfigurationError("cannot listen on \(configuration.listen): \(error)")
        }
        var adminChannel: (any Channel)?
        if let admin = configuration.admin, let metrics = environment.metrics {
            do {
                adminChannel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                            try channel.pipeline.syncOperations.addHandler(AdminHandler(environment: environment, metrics: metrics))
                        }
                    }
                    .bind(host: admin.host, port: admin.port).get()
            } catch {
                try? await channel.close()
                try? await group.shutdownGracefully()
                throw ProxyConfigurationError("--admin: cannot listen on \(admin): \(error)")
            }
        }
        return ProxyServer(group: group, serverChannel: channel, adminChannel: adminChannel, environment: environment, logger: logger)
    }

    private static func makeServerTLSContext(_ files: TLSListenerFiles) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain)
        } catch {
            throw ProxyConfigurationError("--tls-cert \(files.certificateChain): cannot read PEM certificates: \(error)")
        }
        do {
            key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
        } catch {
            throw ProxyConfigurationError("--tls-key \(files.privateKey): cannot read a PEM private key: \(error)")
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw ProxyConfigurationError("cannot set up the TLS listener: \(error)")
        }
    }

    /// Stops accepting, lets open sessions end by themselves for the drain timeout, then closes
    /// the rest (WebSocket sessions with 1001) and stops the event loops.
    ///
    /// The tape writer is not closed here: its owner seals it after this returns.
    public func shutdown() async {
        try? await serverChannel.close()
        try? await adminChannel?.close()
        let registry = environment.registry
        registry.drainAll(force: false)
        await waitUntilIdle(registry, for: environment.configuration.drainTimeout)
        if registry.count > 0 {
            logger.info("closing \(registry.count) open connection(s) after the drain timeout")
            registry.drainAll(force: true)
            await waitUntilIdle(registry, for: .seconds(2))
        }
        pollingSessionSweep.cancel()
        environment.endPollingSessions(environment.engineIOSessions.removeAllPolling(), reason: "proxy shut down")
        try? await group.shutdownGracefully()
    }

    private func waitUntilIdle(_ registry: ConnectionRegistry, for timeout: TimeAmount) async {
        let deadline = NIODeadline.now() + timeout
        while registry.count > 0, NIODeadline.now() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
