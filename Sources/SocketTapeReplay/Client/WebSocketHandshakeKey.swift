import Crypto
import SocketTapeWire

/// The `Sec-WebSocket-Key` a client sends and the `Sec-WebSocket-Accept` it expects back
/// (RFC 6455 §4.1, §4.2.2).
enum WebSocketHandshakeKey {
    /// The GUID RFC 6455 §1.3 appends to the key.
    private static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// A new key: 16 random bytes, base64.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<2).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return base64(bytes)
    }

    /// The accept value for `key`: base64 of the SHA-1 of the key followed by the GUID.
    static func accept(for key: String) -> String {
        var sha1 = Insecure.SHA1()
        let input = Array((key + guid).utf8)
        input.withUnsafeBytes { sha1.update(bufferPointer: $0) }
        return base64(Array(sha1.finalize()))
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        bytes.withUnsafeBytes { Base64.encode($0, appendingTo: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}
