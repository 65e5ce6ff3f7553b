import NIOCore
import SocketTapeTape
import SocketTapeWire

/// Rebuilds the WebSocket frames (RFC 6455 §5.2) that carried one recorded message.
///
/// Each recorded frame comes back with its opcode, FIN, RSV bits and masking key. The wire payload
/// (the message payload, or its re-deflated form for a compressed message) is split across them:
/// each frame takes its recorded payload length while bytes remain — less one byte for every later
/// frame that was not empty, so a shorter re-deflated payload does not leave those frames empty —
/// and the last frame takes the rest. For an uncompressed message that gives back exactly the
/// recorded lengths; for a compressed one the lengths follow the new compressed size. (Wireshark
/// 4.0 does not reassemble a fragmented message whose final frame is empty.) A message without frame records (imported from
/// JSON Lines without `frame` lines, or sent by the proxy itself) gets one final frame: the
/// message's opcode, RSV1 when compressed, masked with `fallbackMaskingKey` when it is the client's.
enum WebSocketMessageFramer {
    /// The frames' bytes, back to back.
    static func frames(
        of message: MessageRecord, recorded: [FrameInfo], wirePayload: ByteBuffer, fallbackMaskingKey: UInt32
    ) -> ByteBuffer {
        let headers = recorded.isEmpty
            ? [FrameInfo(
                from: message.from, opcode: message.opcode, fin: true, rsv: message.compressed ? 0b100 : 0,
                maskingKey: message.from == .client ? fallbackMaskingKey : nil, payloadLength: UInt64(wirePayload.readableBytes)
            )]
            : recorded
        var remaining = wirePayload
        var bytes = ByteBufferAllocator().buffer(capacity: wirePayload.readableBytes + 14 * headers.count)
        var laterNonEmptyFrames = headers.dropFirst().count { $0.payloadLength > 0 }
        for (index, header) in headers.enumerated() {
            let available = max(0, remaining.readableBytes - laterNonEmptyFrames)
            let length = index == headers.count - 1 ? remaining.readableBytes : Int(min(header.payloadLength, UInt64(available)))
            if index + 1 < headers.count, headers[index + 1].payloadLength > 0 { laterNonEmptyFrames -= 1 }
            let payload = remaining.readSlice(length: length)!
            var frame = WebSocketFrameEncoder.encode(
                opcode: header.opcode, payload: payload, fin: header.fin, rsv: header.rsv, maskingKey: header.maskingKey
            )
            bytes.writeBuffer(&frame)
        }
        return bytes
    }
}
