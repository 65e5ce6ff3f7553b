import SocketTapeTape
import SocketTapeWire

/// How captured connections are decoded and what goes on the tape: the same choices the proxy's
/// flags make for traffic it relays.
public struct CaptureDecoderOptions: Sendable {
    /// Which sessions are Socket.io sessions.
    public var socketIO: SocketIODetection
    /// Header values replaced before anything is recorded.
    public var redaction: HeaderRedaction
    /// Whether Socket.IO CONNECT auth values are redacted.
    public var redactsSocketIOAuth: Bool
    /// Frame and message size limits of the WebSocket parsers.
    public var webSocketLimits: WebSocketLimits
    /// The most body bytes of one HTTP message kept on the tape.
    public var maxRecordedBodyBytes: Int

    public init(
        socketIO: SocketIODetection = .auto, redaction: HeaderRedaction = .default, redactsSocketIOAuth: Bool = true,
        webSocketLimits: WebSocketLimits = .init(), maxRecordedBodyBytes: Int = 1 << 20
    ) {
        self.socketIO = socketIO
        self.redaction = redaction
        self.redactsSocketIOAuth = redactsSocketIOAuth
        self.webSocketLimits = webSocketLimits
        self.maxRecordedBodyBytes = maxRecordedBodyBytes
    }
}
