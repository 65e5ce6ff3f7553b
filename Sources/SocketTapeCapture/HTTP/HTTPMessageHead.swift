import SocketTapeTape
import SocketTapeWire

/// The head of an HTTP/1.x message as it crossed: its start line and headers in order.
public struct HTTPMessageHead: Sendable, Equatable {
    /// What the start line says.
    public enum StartLine: Sendable, Equatable {
        case request(method: String, target: String)
        case response(status: Int)
    }

    public var startLine: StartLine
    /// `HTTP/1.1` or `HTTP/1.0`, as written.
    public var version: String
    public var headers: [HeaderField]

    public init(startLine: StartLine, version: String, headers: [HeaderField]) {
        self.startLine = startLine
        self.version = version
        self.headers = headers
    }

    /// The first value of `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Whether a header `name` lists `token` (any case), as `Connection: keep-alive, Upgrade` does.
    public func headerLists(_ name: String, token: String) -> Bool {
        headers.contains { field in
            field.name.caseInsensitiveEquals(name) && field.value.listsToken(token)
        }
    }

    /// Whether this is a request for a WebSocket upgrade (RFC 6455 §4.1).
    public var isWebSocketUpgrade: Bool {
        headerLists("Upgrade", token: "websocket")
    }
}
