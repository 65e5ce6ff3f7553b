import NIOCore
import SocketTapeTape
import SocketTapeWire

/// The client's opening handshake (RFC 6455 §4.1) for one replayed session.
///
/// The request is `GET` of the recorded target, with the recorded headers after the overrides
/// (``ReplayHeaderOverrides/apply(to:)``), and these written anew: `Host` (the target's, unless
/// overridden), `Upgrade: websocket`, `Connection: Upgrade`, a new random `Sec-WebSocket-Key`
/// and `Sec-WebSocket-Version: 13`. No `Sec-WebSocket-Extensions` is offered: the replayer
/// sends and expects uncompressed frames, whatever the recording negotiated. A recorded
/// `Sec-WebSocket-Protocol` is offered again as recorded.
struct WebSocketHandshakeRequest {
    /// The `Sec-WebSocket-Key` sent.
    let key: String
    /// The subprotocols offered (from `Sec-WebSocket-Protocol`), in order.
    let offeredProtocols: [String]
    /// The request's bytes.
    let bytes: ByteBuffer

    /// Builds the request.
    ///
    /// - Parameters:
    ///   - target: The request target (path and query), already with the target URL's prefix.
    ///   - host: The `Host` value to send when no override sets one.
    ///   - recorded: The headers of the recorded request.
    ///   - overrides: The user's header overrides.
    /// - Throws: ``ReplayClientError`` (``ReplayClientError/Kind/handshake``) when the target or
    ///   a recorded header cannot be written as HTTP/1.1 (a hand-edited tape with a line break).
    init(
        target: String,
        host: String,
        recorded: [HeaderField],
        overrides: ReplayHeaderOverrides
    ) throws(ReplayClientError) {
        guard target.hasPrefix("/"), target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw ReplayClientError(.handshake, "handshake: request target '\(target)' is not a path")
        }
        let (headers, hostOverride) = overrides.apply(to: recorded)
        for field in headers where !HTTPFieldSyntax.isToken(field.name) || !HTTPFieldSyntax.isValidValue(field.value) {
            throw ReplayClientError(.handshake, "handshake: recorded header '\(field.name)' cannot be sent in HTTP/1.1")
        }
        key = WebSocketHandshakeKey.make()
        offeredProtocols = headers
            .filter { $0.name.lowercased() == "sec-websocket-protocol" }
            .flatMap { $0.value.split(separator: ",") }
            .map { String($0.filter { $0 != " " && $0 != "\t" }) }
            .filter { !$0.isEmpty }
        var bytes = ByteBufferAllocator().buffer(capacity: 256 + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        bytes.writeString("GET \(target) HTTP/1.1\r\nHost: \(hostOverride ?? host)\r\n")
        for field in headers {
            bytes.writeString("\(field.name): \(field.value)\r\n")
        }
        bytes.writeString("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.bytes = bytes
    }
}
