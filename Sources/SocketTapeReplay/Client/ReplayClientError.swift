/// Why a replay connection failed, with a one-line description naming what went wrong where
/// (`connect to 127.0.0.1:9 failed: connection refused`,
/// `handshake: server answered HTTP 404 Not Found: no such page`).
public struct ReplayClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stage that failed.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case connect, tls, handshake, protocolViolation, connectionLost, closeTimeout, cancelled, http
        }
        private let base: Base

        /// The TCP connection could not be made (refused, unreachable, timed out).
        public static let connect = Kind(base: .connect)
        /// The TLS handshake failed (certificate not trusted, wrong name, no answer).
        public static let tls = Kind(base: .tls)
        /// The WebSocket opening handshake failed: no 101, a wrong `Sec-WebSocket-Accept`, no answer in time.
        public static let handshake = Kind(base: .handshake)
        /// The server broke RFC 6455; the client failed the connection with ``ReplayClientError/closeCode``.
        public static let protocolViolation = Kind(base: .protocolViolation)
        /// The connection ended without a close handshake, or with an I/O error.
        public static let connectionLost = Kind(base: .connectionLost)
        /// The server did not answer the client's close frame in time.
        public static let closeTimeout = Kind(base: .closeTimeout)
        /// The owner closed the connection before its handshake finished.
        public static let cancelled = Kind(base: .cancelled)
        /// An HTTP exchange of ``HTTPClientConnection`` failed (bad response, too large, closed).
        public static let http = Kind(base: .http)

        public var description: String {
            base.rawValue
        }
    }

    /// The stage that failed.
    public var kind: Kind
    /// One line for people.
    public var description: String
    /// The HTTP status of a refused WebSocket handshake.
    public var httpStatus: Int?
    /// The close code the client sent when it failed the connection (1002, 1007, 1009).
    public var closeCode: UInt16?

    init(_ kind: Kind, _ description: String, httpStatus: Int? = nil, closeCode: UInt16? = nil) {
        self.kind = kind
        self.description = description
        self.httpStatus = httpStatus
        self.closeCode = closeCode
    }
}
