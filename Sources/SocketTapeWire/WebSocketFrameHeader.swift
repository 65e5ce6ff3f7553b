import NIOCore

/// The header of one WebSocket frame (RFC 6455 §5.2), as it was on the wire.
///
/// This type only describes a header; it does not judge it. Reserved opcodes, RSV bits, a set
/// most significant bit in a 64-bit length and non-minimal length encodings are all represented
/// as received; ``WebSocketStreamParser`` decides what is allowed.
public struct WebSocketFrameHeader: Sendable, Hashable {
    /// The FIN bit: this is the final fragment of a message.
    public var fin: Bool

    /// RSV1, RSV2 and RSV3 as bits 2, 1 and 0 (RSV1 = `0b100`).
    public var rsv: UInt8

    /// The raw 4-bit opcode; may be reserved (see ``WebSocketOpcode/isReserved(_:)``).
    public var opcode: UInt8

    /// The masking key as the big-endian value of its 4 bytes, or nil when the frame is not masked.
    public var maskingKey: UInt32?

    /// The payload length the header declares.
    public var payloadLength: UInt64

    /// How many bytes the header takes on the wire (2...14).
    public var headerLength: Int

    /// Creates a header; `headerLength` is that of the minimal length encoding (RFC 6455 §5.2).
    public init(fin: Bool, rsv: UInt8 = 0, opcode: UInt8, maskingKey: UInt32? = nil, payloadLength: UInt64) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
        let lengthBytes = payloadLength < 126 ? 0 : payloadLength <= 0xFFFF ? 2 : 8
        self.headerLength = 2 + lengthBytes + (maskingKey == nil ? 0 : 4)
    }

    /// Whether RSV1 is set (the permessage-deflate "Per-Message Compressed" bit, RFC 7692 §6).
    public var rsv1: Bool {
        rsv & 0b100 != 0
    }

    /// Parses a header at the reader index without moving it.
    ///
    /// - Parameter buffer: Bytes received so far, starting at a frame boundary.
    /// - Returns: The header, or nil when `buffer` does not hold the whole header yet.
    public static func peek(in buffer: ByteBuffer) -> WebSocketFrameHeader? {
        let start = buffer.readerIndex
        guard let first = buffer.getInteger(at: start, as: UInt8.self),
            let second = buffer.getInteger(at: start + 1, as: UInt8.self)
        else { return nil }
        var offset = start + 2
        let payloadLength: UInt64
        switch second & 0x7F {
        case 126:
            guard let length = buffer.getInteger(at: offset, as: UInt16.self) else { return nil }
            payloadLength = UInt64(length)
            offset += 2
        case 127:
            guard let length = buffer.getInteger(at: offset, as: UInt64.self) else { return nil }
            payloadLength = length
            offset += 8
        case let length:
            payloadLength = UInt64(length)
        }
        var maskingKey: UInt32?
        if second & 0x80 != 0 {
            guard let key = buffer.getInteger(at: offset, as: UInt32.self) else { return nil }
            maskingKey = key
            offset += 4
        }
        var header = WebSocketFrameHeader(
            fin: first & 0x80 != 0,
            rsv: (first >> 4) & 0b111,
            opcode: first & 0x0F,
            maskingKey: maskingKey,
            payloadLength: payloadLength
        )
        header.headerLength = offset - start
        return header
    }
}
