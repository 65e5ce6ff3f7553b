import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One message as a line of text for `inspect … messages`.
enum MessageLine {
    /// At most this many characters of a payload (or of decoded Socket.IO data) are shown;
    /// `--json` shows everything.
    static let previewLength = 200

    /// `  12.345678  1ekz9q-1  client→server  text    "hello" (5 B)`; a message of a Socket.io
    /// session is shown decoded, after its transport (`ws` or `poll`):
    /// `  12.345678  sio-1  client→server  text    ws    EVENT / chat [{"text":"hi"}] id=7`.
    static func text(_ record: TapeRecord, socketIO: SocketIOAnnotation? = nil) -> String {
        guard case .message(let message) = record.body else { return "" }
        let direction = message.from == .client ? "client→server" : "server→client"
        let time = TextFormat.right(TextFormat.fixed(record.time.offsetSeconds, 6), 12)
        let opcode = TextFormat.left(String(WebSocketOpcodeName.displayName(of: message.opcode).prefix(6)), 6)
        let head = "\(time)  \(record.session)  \(direction)  \(opcode)  "
        guard let socketIO else { return head + preview(message) }
        return head + (message.transport == .polling ? "poll  " : "ws    ") + decoded(socketIO, message: message)
    }

    private static func preview(_ message: MessageRecord) -> String {
        let payload = message.payload
        switch message.opcode {
        case WebSocketOpcode.text.rawValue:
            let text = String(decoding: payload.readableBytesView, as: UTF8.self)
            return "\(quoted(text)) (\(payload.readableBytes) B)"
        case WebSocketOpcode.close.rawValue:
            guard let close = try? WebSocketClosePayload.parse(payload) else { return "malformed close payload" }
            return close.code.map { "code \($0) \"\(close.reason)\"" } ?? "no code"
        default:
            return bytes(payload)
        }
    }

    /// `"text"`, cut at ``previewLength`` characters, newlines as `\n`.
    private static func quoted(_ text: String) -> String {
        "\"\(clipped(text).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n"))\""
    }

    private static func clipped(_ text: String) -> String {
        text.count > previewLength ? String(text.prefix(previewLength)) + "…" : text
    }

    /// `3 B: 01 02 03`, the first 32 bytes in hex.
    private static func bytes(_ payload: ByteBuffer) -> String {
        let hex = payload.readableBytesView.prefix(32).map(TextFormat.hex).joined(separator: " ")
        return "\(payload.readableBytes) B" + (hex.isEmpty ? "" : ": \(hex)\(payload.readableBytes > 32 ? " …" : "")")
    }

    // MARK: - Socket.io

    /// The decoded form: `eio ping "probe"`, `CONNECT / {"token":"x"}`, `EVENT / chat ["hi"] id=7`,
    /// `BINARY_EVENT / up [{"_placeholder":true,"num":0}] (waits for 1 attachment)`,
    /// `attachment 1/1 (3 B) → BINARY_EVENT / up [{"$bytes":"AQID"}]`; then any decode error and,
    /// when nothing decoded, the raw payload.
    private static func decoded(_ annotation: SocketIOAnnotation, message: MessageRecord) -> String {
        var parts: [String] = []
        if let packet = annotation.engineIO, packet.type != .message {
            parts.append(engineIO(packet, handshake: annotation.handshake))
        }
        switch annotation.socketIO {
        case .none:
            break
        case .packet(let packet):
            parts.append(socketIO(packet))
        case .awaitingAttachments(let header, let count):
            parts.append(socketIO(header) + " (waits for \(count) attachment\(count == 1 ? "" : "s"))")
        case .attachment(let index, let count, let completed):
            var text = "attachment \(index + 1)/\(count)"
            if case .binary(let data)? = annotation.engineIO?.data { text += " (\(data.readableBytes) B)" }
            if let completed {
                text += " → " + socketIO(completed)
            } else if let header = annotation.attachmentHeader {
                text += " of " + socketIO(header, withData: false)
            }
            parts.append(text)
        }
        for error in [annotation.engineIOError, annotation.socketIOError].compactMap({ $0 }) {
            parts.append("error: \(error)")
        }
        if annotation.engineIOError != nil || (annotation.socketIO == .none && annotation.socketIOError != nil) {
            parts.append("raw " + preview(message))
        }
        return parts.joined(separator: "  ")
    }

    /// `eio open sid=… upgrades=[websocket] pingInterval=25000 pingTimeout=20000 maxPayload=1000000`,
    /// `eio ping "probe"`, `eio upgrade`.
    private static func engineIO(_ packet: EngineIOPacket, handshake: EngineIOHandshake?) -> String {
        var text = "eio \(packet.type.name)"
        if let handshake {
            text += " sid=\(handshake.sid) upgrades=[\(handshake.upgrades.joined(separator: ","))]"
                + " pingInterval=\(handshake.pingInterval) pingTimeout=\(handshake.pingTimeout)"
                + (handshake.maxPayload.map { " maxPayload=\($0)" } ?? "")
            return text
        }
        switch packet.data {
        case .empty: break
        case .text(let data): text += " " + quoted(data)
        case .binary(let data): text += " " + bytes(data)
        }
        return text
    }

    /// `EVENT / chat ["hi"] id=7`: type, namespace, event name, the arguments (acks) or data
    /// (CONNECT, CONNECT_ERROR) as JSON, and the ack id.
    private static func socketIO(_ packet: SocketIOPacket, withData: Bool = true) -> String {
        var text = "\(packet.type.name) \(packet.namespace)"
        if let name = packet.eventName { text += " \(name)" }
        if withData, let data = packet.data {
            let shown = packet.type.isEvent || packet.type.isAck ? JSONValue.array(packet.args) : data
            text += " " + clipped(shown.jsonText)
        }
        if let id = packet.id { text += " id=\(id)" }
        return text
    }
}
