import NIOCore
import SocketTapeWire

/// Finds where a WebSocket message starts in bytes of unknown alignment: after a hole in the
/// capture, a protocol error, or a capture that began mid-connection.
///
/// A candidate offset must hold a frame header that starts a message (text, binary, close, ping
/// or pong; never a continuation), with the mask bit the sender must use, no RSV bits but RSV1
/// (and that only on data frames), a control frame final and at most 125 bytes, and a length
/// within the limit. It is accepted when the frame runs past the buffered bytes, ends exactly at
/// their end, or is followed by another plausible header: two frames in a row are rarely chance.
struct WebSocketFrameSync {
    let sender: WebSocketRole
    let maxFrameSize: UInt64

    /// The offset of the first plausible message start, or nil when none is buffered.
    func firstFrame(in buffer: ByteBuffer) -> Int? {
        let end = buffer.writerIndex
        var offset = buffer.readerIndex
        while offset < end {
            if let length = plausibleFrameLength(in: buffer, at: offset, startsMessage: true) {
                let next = offset + length
                if next >= end || plausibleFrameLength(in: buffer, at: next, startsMessage: false) != nil {
                    return offset - buffer.readerIndex
                }
            }
            offset += 1
        }
        return nil
    }

    /// The total length of the frame at `offset` when its header is plausible.
    private func plausibleFrameLength(in buffer: ByteBuffer, at offset: Int, startsMessage: Bool) -> Int? {
        guard let slice = buffer.getSlice(at: offset, length: min(14, buffer.writerIndex - offset)),
              let header = WebSocketFrameHeader.peek(in: slice) else {
            // Too few bytes to tell: plausible only as the tail of what is buffered.
            return buffer.writerIndex - offset < 14 && !startsMessage ? 0 : nil
        }
        guard (header.maskingKey != nil) == (sender == .client), header.payloadLength <= maxFrameSize else { return nil }
        let isControl = header.opcode >= 8
        switch header.opcode {
        case 0: guard !startsMessage else { return nil }
        case 1, 2: break
        case 8, 9, 10: guard header.fin, header.payloadLength <= 125 else { return nil }
        default: return nil
        }
        guard header.rsv & 0b011 == 0, !(isControl && header.rsv1), !(header.opcode == 0 && header.rsv1) else { return nil }
        return header.headerLength + Int(header.payloadLength)
    }
}
