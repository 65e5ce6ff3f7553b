import NIOCore
import SocketTapeWire

/// Redacts the auth payload of Socket.IO CONNECT packets before they reach a tape, as
/// ``HeaderRedaction`` does for `Authorization`: the keys stay, every value becomes
/// ``HeaderRedaction/replacement``, so the tape shows what was sent but not the secret.
///
/// Only Socket.IO v5 (Engine.IO v4) CONNECT packets carry an auth payload; v4 has none.
public enum SocketIOAuthRedaction {
    /// The Engine.IO text packet `packet` (`40{"token":"abc"}`, `40/admin,{"token":"abc"}`) with
    /// its auth values redacted; `nil` when it is not a CONNECT with a payload object.
    public static func redact(engineIOText packet: ByteBuffer, version: EngineIOVersion) -> ByteBuffer? {
        let start = packet.readerIndex
        // Cheap test first: this runs on every text message a Socket.io client sends.
        guard packet.readableBytes > 3,
              packet.getInteger(at: start, as: UInt8.self) == UInt8(ascii: "4"),
              packet.getInteger(at: start + 1, as: UInt8.self) == UInt8(ascii: "0"),
              let socketIOText = packet.getSlice(at: start + 1, length: packet.readableBytes - 1),
              var decoded = try? SocketIOPacket(decoding: socketIOText, version: SocketIOVersion(engineIO: version)),
              decoded.type == .connect, case .object(let auth)? = decoded.data
        else { return nil }
        decoded.data = .object(JSONObject(auth.members.map { (key: $0.key, value: .string(HeaderRedaction.replacement)) }))
        return ByteBuffer(string: "4" + decoded.encodedText)
    }
}
