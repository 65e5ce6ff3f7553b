import NIOCore

/// Writes WebSocket frames (RFC 6455 §5.2) with the minimal length encoding.
///
/// The encoder writes what it is told: it does not check opcodes, RSV bits or control-frame
/// rules, so tests can build invalid frames with it too.
public enum WebSocketFrameEncoder {
    /// Encodes one frame.
    ///
    /// - Parameters:
    ///   - opcode: The raw opcode nibble (only the low 4 bits are used).
    ///   - payload: The unmasked payload (its readable bytes).
    ///   - fin: The FIN bit.
    ///   - rsv: RSV1...RSV3 as bits 2...0.
    ///   - maskingKey: When given, the frame is masked with it (big-endian value of the 4 key bytes).
    /// - Returns: The frame's bytes.
    public static func encode(
        opcode: UInt8,
        payload: ByteBuffer,
        fin: Bool = true,
        rsv: UInt8 = 0,
        maskingKey: UInt32? = nil
    ) -> ByteBuffer {
        let length = payload.readableBytes
        var frame = ByteBufferAllocator().buffer(capacity: 14 + length)
        frame.writeInteger((fin ? 0x80 : 0) | (rsv & 0b111) << 4 | opcode & 0x0F)
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        switch length {
        case ..<126:
            frame.writeInteger(maskBit | UInt8(length))
        case ...0xFFFF:
            frame.writeInteger(maskBit | 126)
            frame.writeInteger(UInt16(length))
        default:
            frame.writeInteger(maskBit | 127)
            frame.writeInteger(UInt64(length))
        }
        if let maskingKey {
            frame.writeInteger(maskingKey)
        }
        WebSocketMasking.apply(key: maskingKey, to: payload, appendingTo: &frame)
        return frame
    }

    /// Encodes a close frame (RFC 6455 §5.5.1): the 2-byte code, then the reason as UTF-8,
    /// cut at a character boundary to 123 bytes so the payload fits a control frame.
    public static func closeFrame(code: UInt16, reason: String, maskingKey: UInt32?) -> ByteBuffer {
        var payload = ByteBufferAllocator().buffer(capacity: 125)
        payload.writeInteger(code)
        payload.writeString(reason.truncatedUTF8(toAtMost: 123))
        return encode(opcode: WebSocketOpcode.close.rawValue, payload: payload, maskingKey: maskingKey)
    }
}
