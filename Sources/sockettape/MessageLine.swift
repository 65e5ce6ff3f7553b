import Foundation
import NIOCore
import SocketTapeTape
import SocketTapeWire

/// One message as a line of text for `inspect … messages`.
enum MessageLine {
    /// At most this many characters of a payload are shown; `--json` shows everything.
    static let previewLength = 200

    /// `  12.345678  1ekz9q-1  client→server  text     "hello"`
    static func text(_ record: TapeRecord) -> String {
        guard case .message(let message) = record.body else { return "" }
        let direction = message.from == .client ? "client→server" : "server→client"
        let time = String(format: "%12.6f", record.time.offsetSeconds)
        let opcode = WebSocketOpcodeName.displayName(of: message.opcode).padding(toLength: 6, withPad: " ", startingAt: 0)
        return "\(time)  \(record.session)  \(direction)  \(opcode)  \(preview(message))"
    }

    private static func preview(_ message: MessageRecord) -> String {
        let payload = message.payload
        switch message.opcode {
        case WebSocketOpcode.text.rawValue:
            let text = String(decoding: payload.readableBytesView, as: UTF8.self)
            let shown = text.count > previewLength ? String(text.prefix(previewLength)) + "…" : text
            return "\"\(shown.replacingOccurrences(of: "\n", with: "\\n"))\" (\(payload.readableBytes) B)"
        case WebSocketOpcode.close.rawValue:
            guard let close = try? WebSocketClosePayload.parse(payload) else { return "malformed close payload" }
            return close.code.map { "code \($0) \"\(close.reason)\"" } ?? "no code"
        default:
            let hex = payload.readableBytesView.prefix(32).map { String(format: "%02x", $0) }.joined(separator: " ")
            return "\(payload.readableBytes) B" + (hex.isEmpty ? "" : ": \(hex)\(payload.readableBytes > 32 ? " …" : "")")
        }
    }
}
