import NIOCore
import SocketTapePolicy
import SocketTapeTape
import SocketTapeWire

/// Everything the proxy needs to run, already validated.
///
/// The CLI builds this from flags; tests build it directly.
public struct ProxyConfiguration: Sendable {
    /// Where clients connect.
    public var listen: HostAndPort
    /// Where the proxy forwards to.
    public var upstream: UpstreamEndpoint
    /// PEM certificate chain and private key for a TLS listener; `nil` for plain TCP.
    public var tlsListener: TLSListenerFiles?
    /// PEM file of extra CA certificates trusted for `wss://` / `https://` upstreams.
    public var upstreamCAFile: String?
    /// Limits applied to every WebSocket frame and message parsed.
    public var webSocketLimits: WebSocketLimits
    /// The longest the request head of a new connection and the upstream's answer to it may take.
    public var handshakeTimeout: TimeAmount
    /// A connection with no traffic in either direction for this long is closed (1001 for WebSocket).
    public var idleTimeout: TimeAmount
    /// How long shutdown waits for open sessions to end by themselves before closing them with 1001.
    public var drainTimeout: TimeAmount
    /// Upper bound on the summed size of one request's header names and values (431 beyond it).
    public var maxHeaderBytes: Int
    /// How long connecting to the upstream may take (502 beyond it).
    public var connectTimeout: TimeAmount
    /// Headers whose values are replaced before anything is written to the tape.
    public var redaction: HeaderRedaction
    /// Whether the values of Socket.IO CONNECT auth payloads are replaced before anything is written to the tape.
    public var redactsSocketIOAuth: Bool
    /// Which sessions are decoded as Socket.io (Engine.IO).
    public var socketIO: SocketIODetection
    /// Rate limits, validation and handshake checks (`--config`).
    public var policy: PolicyConfiguration
    /// Where the admin listener serves `/metrics` and `/healthz`; `nil` for none.
    public var admin: HostAndPort?
    /// The largest HTTP body (request or response) kept on the tape per exchange; the rest is counted, not kept.
    public var maxRecordedBodyBytes: Int
    /// Event loop threads.
    public var threads: Int

    public init(
        listen: HostAndPort,
        upstream: UpstreamEndpoint,
        tlsListener: TLSListenerFiles? = nil,
        upstreamCAFile: String? = nil,
        webSocketLimits: WebSocketLimits = .init(),
        handshakeTimeout: TimeAmount = .seconds(10),
        idleTimeout: TimeAmount = .seconds(600),
        drainTimeout: TimeAmount = .seconds(5),
        maxHeaderBytes: Int = 16 * 1024,
        connectTimeout: TimeAmount = .seconds(5),
        redaction: HeaderRedaction = HeaderRedaction(names: HeaderRedaction.defaultNames),
        redactsSocketIOAuth: Bool = true,
        socketIO: SocketIODetection = .auto,
        policy: PolicyConfiguration = .none,
        admin: HostAndPort? = nil,
        maxRecordedBodyBytes: Int = 1 << 20,
        threads: Int = 1
    ) {
        self.listen = listen
        self.upstream = upstream
        self.tlsListener = tlsListener
        self.upstreamCAFile = upstreamCAFile
        self.webSocketLimits = webSocketLimits
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.drainTimeout = drainTimeout
        self.maxHeaderBytes = maxHeaderBytes
        self.connectTimeout = connectTimeout
        self.redaction = redaction
        self.redactsSocketIOAuth = redactsSocketIOAuth
        self.socketIO = socketIO
        self.policy = policy
        self.admin = admin
        self.maxRecordedBodyBytes = maxRecordedBodyBytes
        self.threads = threads
    }
}

/// The certificate chain and key of a TLS listener, as PEM file paths.
public struct TLSListenerFiles: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}
