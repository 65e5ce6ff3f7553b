/// Which end of a WebSocket connection sent some bytes.
///
/// RFC 6455 §5.1: a client masks every frame it sends; a server masks none.
public enum WebSocketRole: Sendable, Equatable, Hashable {
    case client
    case server
}
