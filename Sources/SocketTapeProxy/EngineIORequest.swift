import NIOHTTP1
import SocketTapeWire

/// What an HTTP request says about the Engine.IO session it belongs to, from its query:
/// `/socket.io/?EIO=4&transport=polling&sid=…`.
struct EngineIORequest: Equatable {
    var version: EngineIOVersion
    var transport: EngineIOTransport
    /// The session id; `nil` on the request that opens a session (the handshake).
    var sid: String?

    /// The request's Engine.IO identity, or `nil` when it is not one under `detection`.
    init?(_ head: HTTPRequestHead, detection: SocketIODetection) {
        let target = head.uri
        switch detection {
        case .never:
            return nil
        case .auto:
            guard let version = try? EngineIOVersion(requestTarget: target) else { return nil }
            self.version = version
        case .always:
            self.version = (try? EngineIOVersion(requestTarget: target)) ?? .v4
        }
        self.transport = EngineIOTransport(requestTarget: target) ?? (head.isWebSocketUpgrade ? .websocket : .polling)
        self.sid = queryParameter("sid", in: target).map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }
}
