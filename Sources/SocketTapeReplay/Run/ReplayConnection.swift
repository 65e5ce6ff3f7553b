import NIOCore

/// A session's connection to the target as the replayer drives it: a WebSocket, or an Engine.IO
/// session over polling and WebSocket. All calls happen on the connection's event loop.
protocol ReplayConnection: AnyObject {
    /// Sends a client message (a WebSocket message, or an Engine.IO packet in its WebSocket form).
    func send(_ message: ReplayMessage)
    /// Ends the session: a close handshake with `code` (nil: no status code), or the Engine.IO close.
    func close(code: UInt16?, reason: String)
}

/// What a ``ReplayConnection`` reports to its session, on the connection's event loop.
protocol ReplayConnectionDelegate: AnyObject {
    /// TCP is connected (the first connection of the session); the handshake follows.
    func connectionConnected(at time: NIODeadline)
    /// The handshake succeeded; messages may be sent. `openPacket` is a Socket.io session's new
    /// Engine.IO open packet (WebSocket form), for the comparison.
    func connectionOpened(at time: NIODeadline, openPacket: ReplayMessage?)
    /// A server data message (for Socket.io: an Engine.IO message or close packet, WebSocket form).
    func connectionReceived(_ message: ReplayMessage, at time: NIODeadline)
    /// The connection ended: a close code from the server's close frame, or an error that
    /// explains why it could not go on (or could not open).
    func connectionClosed(code: UInt16?, reason: String, error: String?)
}
