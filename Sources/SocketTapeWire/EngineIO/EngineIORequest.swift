/// What an HTTP request says about the Engine.IO session it belongs to, from its query:
/// `/socket.io/?EIO=4&transport=polling&sid=…`.
///
/// The proxy reads it from each request it relays; capture import from each request it decodes.
public struct EngineIORequest: Equatable, Sendable {
    public var version: EngineIOVersion
    public var transport: EngineIOTransport
    /// The session id; `nil` on the request that opens a session (the handshake).
    public var sid: String?

    /// The Engine.IO identity of a request for `target`, or `nil` when it is not one under `detection`.
    ///
    /// - Parameter isWebSocketUpgrade: whether the request asks for a WebSocket upgrade (the
    ///   transport when the query does not name one).
    public init?(target: String, isWebSocketUpgrade: Bool, detection: SocketIODetection) {
        switch detection {
        case .never:
            return nil
        case .auto:
            guard let version = try? EngineIOVersion(requestTarget: target) else { return nil }
            self.version = version
        case .always:
            self.version = (try? EngineIOVersion(requestTarget: target)) ?? .v4
        }
        self.transport = EngineIOTransport(requestTarget: target) ?? (isWebSocketUpgrade ? .websocket : .polling)
        self.sid = queryParameter("sid", in: target).map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }
}
