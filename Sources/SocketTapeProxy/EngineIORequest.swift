import NIOHTTP1
import SocketTapeWire

extension EngineIORequest {
    /// The request's Engine.IO identity, or `nil` when it is not one under `detection`.
    init?(_ head: HTTPRequestHead, detection: SocketIODetection) {
        self.init(target: head.uri, isWebSocketUpgrade: head.isWebSocketUpgrade, detection: detection)
    }
}
