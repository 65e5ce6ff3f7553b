/// Which sessions the proxy treats as Socket.io (Engine.IO) sessions.
public enum SocketIODetection: String, Sendable, CaseIterable {
    /// Requests whose query names an Engine.IO version (`EIO=3` or `EIO=4`).
    case auto
    /// Every request; one without `EIO=` is taken as Engine.IO v4.
    case always
    /// None: Socket.io traffic is recorded as plain HTTP and WebSocket.
    case never
}
