import NIOCore
import SocketTapeWire

/// The Engine.IO packets of one long-polling exchange, as the proxy and a capture import both
/// record it: the client's from the request body, the server's from a GET's answer.
public struct PollingExchangePackets {
    /// A body and the headers that say how to read it.
    public struct Body {
        public var bytes: ByteBuffer
        public var contentType: String?
        public var contentEncoding: String?

        public init(_ bytes: ByteBuffer, contentType: String?, contentEncoding: String?) {
            self.bytes = bytes
            self.contentType = contentType
            self.contentEncoding = contentEncoding
        }
    }

    public var client: Result<[EngineIOPacket], EngineIOError>
    public var server: Result<[EngineIOPacket], EngineIOError>
    /// The request body re-encoded with its Socket.IO CONNECT auth values redacted; `nil` when
    /// nothing was redacted (or redaction was not asked for).
    public var redactedRequestBody: ByteBuffer?

    /// - Parameters:
    ///   - request: the request body, as sent.
    ///   - method: the request's method.
    ///   - status: the answer's status, `nil` without one.
    ///   - response: the answer's body, `nil` without one. Only a GET's `200` answer carries the
    ///     server's packets; a POST's is just `ok`.
    ///   - redactsAuth: redact the Socket.IO CONNECT auth values of the client's packets.
    public init(request: Body, method: String, status: Int?, response: Body?, version: EngineIOVersion, redactsAuth: Bool) {
        client = PollingTranscript.packets(
            in: request.bytes, contentType: request.contentType, contentEncoding: request.contentEncoding, version: version
        )
        if redactsAuth, case .success(let packets) = client,
           let redacted = PollingTranscript.redactingAuth(packets, version: version, contentType: request.contentType) {
            client = .success(redacted.packets)
            redactedRequestBody = redacted.body
        }
        if let response, method == "GET", status == 200 {
            server = PollingTranscript.packets(
                in: response.bytes, contentType: response.contentType, contentEncoding: response.contentEncoding, version: version
            )
        } else {
            server = .success([])
        }
    }

    /// The end of the session this exchange shows, if it shows one: a close packet (from the
    /// client first), or an answer of `400`, the server no longer knowing the sid.
    public func sessionEnd(status: Int?) -> SessionClose? {
        if let closedBy = PollingTranscript.closer(client: client, server: server) {
            return SessionClose(by: closedBy, code: nil, reason: "Engine.IO close packet", error: nil)
        }
        guard status == 400 else { return nil }
        return SessionClose(by: .server, code: nil, reason: "", error: "the server answered a request of this session with HTTP 400")
    }
}
