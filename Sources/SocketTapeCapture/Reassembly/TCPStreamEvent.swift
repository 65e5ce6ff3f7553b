import NIOCore

/// Identifies one TCP connection within a capture (a 4-tuple can be reused: each use gets its own id).
public struct TCPConnectionID: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "tcp-\(rawValue)" }
}

/// Which way bytes travel on a connection.
public enum TCPDirection: Sendable, Hashable {
    /// From the endpoint that opened the connection (or, when the start was not captured, the one
    /// that is not the server port).
    case clientToServer
    case serverToClient
}

/// What TCP reassembly hands to the protocol decoders: each direction's bytes in order, exactly
/// once, with the holes the capture missed named rather than papered over.
public enum TCPStreamEvent: Sendable, Equatable {
    /// A connection was seen for the first time. `handshakeSeen` is false when the capture starts
    /// in the middle of the connection (its first bytes may be in the middle of a message).
    case opened(TCPConnectionID, client: IPEndpoint, server: IPEndpoint, handshakeSeen: Bool, wallMicros: Int64)
    /// The next in-order bytes of one direction.
    case data(TCPConnectionID, TCPDirection, ByteBuffer, wallMicros: Int64)
    /// `byteCount` bytes of one direction were not captured; the data event after this continues
    /// after the hole.
    case gap(TCPConnectionID, TCPDirection, byteCount: UInt64, wallMicros: Int64)
    /// One direction ended: a FIN (`reset` false) or a RST (`reset` true, which ends both directions).
    case closed(TCPConnectionID, TCPDirection, reset: Bool, wallMicros: Int64)
    /// The capture ended with the connection still open; nothing more will come for it.
    case unfinished(TCPConnectionID, wallMicros: Int64)
}
