/// What a capture decoder saw and what it could not use, for the summary a capture command prints.
public struct CaptureDecodingStatistics: Sendable, Equatable {
    /// TCP connections seen.
    public var connections = 0
    /// Sessions written (WebSocket and Socket.io sessions, and plain HTTP exchanges).
    public var sessions = 0
    /// Holes in captured streams (segments the capture missed).
    public var holes = 0
    /// Bytes in those holes.
    public var bytesMissed: UInt64 = 0
    /// Bytes skipped to find the next HTTP message or WebSocket frame after a hole or bad bytes.
    public var bytesSkipped: UInt64 = 0
    /// Connections that carried neither HTTP/1.x nor WebSocket (such as TLS).
    public var undecodedConnections = 0
    /// Why the first undecodable connection was not decoded, as an example for the summary.
    public var undecodedExample: String?

    public init() {}
}
