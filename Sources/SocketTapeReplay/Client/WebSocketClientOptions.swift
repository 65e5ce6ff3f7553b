import NIOCore
import SocketTapeWire

/// Settings shared by the WebSocket connections of one replay.
public struct WebSocketClientOptions: Sendable {
    /// How long the opening handshake may take, from the TCP connection to the server's `101`
    /// (TLS included). Default 10 s.
    public var handshakeTimeout: TimeAmount
    /// How long to wait for the server's close frame after sending one, and then for the
    /// server to close TCP, before the client closes TCP itself. Default 5 s.
    public var closeTimeout: TimeAmount
    /// The largest response head (status line and headers) accepted. Default 16 KiB.
    public var maxResponseHeadSize: Int
    /// Frame and message size limits for what the server sends.
    public var limits: WebSocketLimits
    /// The channel's write-buffer water marks. Sending is refused while more than `high` bytes
    /// wait to be written, until they drain below `low` (see ``WebSocketClientConnection/send(opcode:payload:flush:)``).
    /// Default 32 KiB / 64 KiB.
    public var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark
    /// Headers set on every handshake over the recorded ones.
    public var headerOverrides: ReplayHeaderOverrides

    public init(
        handshakeTimeout: TimeAmount = .seconds(10),
        closeTimeout: TimeAmount = .seconds(5),
        maxResponseHeadSize: Int = 16 << 10,
        limits: WebSocketLimits = .init(),
        writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark = .init(low: 32 << 10, high: 64 << 10),
        headerOverrides: ReplayHeaderOverrides = .init()
    ) {
        self.handshakeTimeout = handshakeTimeout
        self.closeTimeout = closeTimeout
        self.maxResponseHeadSize = maxResponseHeadSize
        self.limits = limits
        self.writeBufferWaterMark = writeBufferWaterMark
        self.headerOverrides = headerOverrides
    }
}
