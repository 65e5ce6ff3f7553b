import NIOCore
import NIOHTTP1
import SocketTapeWire

/// Receives the events of one ``WebSocketClientConnection``.
///
/// Every method is called on the connection's event loop, synchronously from the channel's
/// events (no hop): a delegate may call the connection's methods from inside them. The
/// connection holds its delegate strongly until it has called
/// ``webSocket(_:didCloseWith:)``, its last call.
public protocol WebSocketClientDelegate: AnyObject {
    /// TCP is connected; TLS (if any) and the handshake follow. The default does nothing.
    func webSocketDidConnect(_ connection: WebSocketClientConnection, at time: NIODeadline)

    /// The handshake succeeded; sending is possible from now on.
    ///
    /// - Parameter response: The server's `101` answer.
    func webSocketDidOpen(_ connection: WebSocketClientConnection, response: HTTPResponseHead)

    /// A complete text or binary message arrived (reassembled from all its frames).
    ///
    /// - Parameters:
    ///   - message: The message. Its payload may be a slice of the socket's read buffer: copy
    ///     it to keep it long without keeping that buffer alive.
    ///   - time: When the read that completed the message came in (one clock reading per read).
    func webSocket(_ connection: WebSocketClientConnection, didReceive message: WebSocketMessage, at time: NIODeadline)

    /// ``WebSocketClientConnection/isWritable`` changed. The default does nothing.
    func webSocketWritabilityChanged(_ connection: WebSocketClientConnection)

    /// The connection ended, cleanly or not; the last call.
    func webSocket(_ connection: WebSocketClientConnection, didCloseWith closure: WebSocketClientClosure)
}

extension WebSocketClientDelegate {
    public func webSocketDidConnect(_ connection: WebSocketClientConnection, at time: NIODeadline) {}

    public func webSocketWritabilityChanged(_ connection: WebSocketClientConnection) {}
}
