import NIOCore
import SocketTapeWire

/// How one Engine.IO long-polling exchange goes on a tape, whoever saw it: the proxy relaying it
/// or a capture import decoding it from packets.
///
/// A POST body carries the client's packets, a GET's answer the server's. Each packet becomes one
/// `message` record (transport polling) in the form a WebSocket message would carry it; a body
/// that does not decode is recorded whole, as one message, so readers can show why.
public enum PollingTranscript {
    /// The largest polling body decoded after decompression (Engine.IO's default maxPayload is 1 MB).
    public static let maxDecodedBodyBytes = 64 << 20

    /// The packets of a body, after undoing its `Content-Encoding` (servers gzip larger polling responses).
    ///
    /// - Parameters:
    ///   - contentType: the body's `Content-Type`; Engine.IO v3 sends binary payloads as `application/octet-stream`.
    ///   - contentEncoding: the body's `Content-Encoding`, if any.
    public static func packets(
        in body: ByteBuffer, contentType: String?, contentEncoding: String?, version: EngineIOVersion
    ) -> Result<[EngineIOPacket], EngineIOError> {
        guard body.readableBytes > 0 else { return .success([]) }
        return Result { () throws(EngineIOError) in
            var body = body
            if let contentEncoding {
                do throws(HTTPContentDecoding.Failure) {
                    body = try HTTPContentDecoding.decode(body, contentEncoding: contentEncoding, maxSize: maxDecodedBodyBytes)
                } catch {
                    throw EngineIOError(offset: nil, reason: error.reason)
                }
            }
            let binary = contentType?.lowercased().hasPrefix("application/octet-stream") ?? false
            return try EngineIOPayload.decode(body, version: version, binary: binary)
        }
    }

    /// One `message` record per packet (transport polling, 0 frames), or the undecodable body whole.
    public static func messages(
        _ packets: Result<[EngineIOPacket], EngineIOError>, raw: ByteBuffer, from peer: Peer, version: EngineIOVersion
    ) -> [MessageRecord] {
        let messages: [(opcode: WebSocketOpcode, payload: ByteBuffer)]
        switch packets {
        case .success(let packets):
            messages = packets.compactMap { packet in
                (try? packet.webSocketMessage(version: version)).map { ($0.opcode, $0.payload) }
            }
        case .failure:
            messages = [(UTF8Validator.isValid(raw) ? .text : .binary, raw)]
        }
        return messages.map {
            MessageRecord(from: peer, opcode: $0.opcode.rawValue, payload: $0.payload, frames: 0, compressed: false, transport: .polling)
        }
    }

    /// The session a handshake answer opens: its first packet is an Engine.IO open packet.
    public static func handshake(in packets: Result<[EngineIOPacket], EngineIOError>) -> EngineIOHandshake? {
        guard case .success(let packets) = packets, let open = packets.first, open.type == .open else { return nil }
        return try? EngineIOHandshake(open)
    }

    /// Who sent a close packet in this exchange, the client first.
    static func closer(client: Result<[EngineIOPacket], EngineIOError>, server: Result<[EngineIOPacket], EngineIOError>) -> Peer? {
        func hasClose(_ packets: Result<[EngineIOPacket], EngineIOError>) -> Bool {
            (try? packets.get())?.contains { $0.type == .close } ?? false
        }
        return hasClose(client) ? .client : hasClose(server) ? .server : nil
    }

    /// A client body's packets with Socket.IO CONNECT auth values redacted, and the body re-encoded
    /// from them; `nil` when no packet had any.
    static func redactingAuth(
        _ packets: [EngineIOPacket], version: EngineIOVersion, contentType: String?
    ) -> (packets: [EngineIOPacket], body: ByteBuffer)? {
        var changed = false
        let redacted = packets.map { packet -> EngineIOPacket in
            guard packet.type == .message, let text = packet.text,
                  let replaced = SocketIOAuthRedaction.redact(engineIOText: ByteBuffer(string: "4" + text), version: version),
                  let decoded = try? EngineIOPacket.decode(webSocketText: replaced)
            else { return packet }
            changed = true
            return decoded
        }
        guard changed else { return nil }
        let binary = contentType?.lowercased().hasPrefix("application/octet-stream") ?? false
        let body = (try? EngineIOPayload.encode(redacted, version: version, binary: binary)) ?? ByteBuffer(string: HeaderRedaction.replacement)
        return (redacted, body)
    }
}
