import NIOCore
import SocketTapeWire

/// Finds where a WebSocket message starts in bytes of unknown alignment: after a hole in the
/// capture that swallowed a frame header, a protocol error, or a capture that began mid-connection.
///
/// A candidate offset must hold a frame header that starts a message (text, binary, close, ping
/// or pong; never a continuation), with the mask bit the sender must use, no RSV bits but RSV1
/// (and that only on data frames), a control frame final and at most 125 bytes, and a length
/// within the limit. It is accepted only when the whole frame is buffered and either ends exactly
/// at the end of the buffered bytes or is followed by another plausible header: random payload
/// bytes pass one such test often, two in a row rarely. A candidate that runs past the buffered
/// bytes stops the search until more arrive.
struct WebSocketFrameSync {
    let sender: WebSocketRole
    let maxFrameSize: UInt64

    /// What a search of the buffered bytes found.
    enum Result: Equatable {
        /// A verified message start at this offset.
        case found(Int)
        /// A candidate at this offset runs past the buffered bytes: nothing before it starts a
        /// message; search again from it when more bytes arrive.
        case waiting(Int)
        /// No candidate; only the last 13 bytes (a header cut short) can still begin one.
        case none
    }

    /// Searches `buffer` for the first verified message start.
    func search(_ buffer: ByteBuffer) -> Result {
        let end = buffer.writerIndex
        var offset = buffer.readerIndex
        while offset < end {
            if let length = frameLength(in: buffer, at: offset, startsMessage: true) {
                let next = offset + length
                if next > end { return .waiting(offset - buffer.readerIndex) }
                if next == end || frameLength(in: buffer, at: next, startsMessage: false) != nil {
                    return .found(offset - buffer.readerIndex)
                }
            }
            offset += 1
        }
        return .none
    }

    /// Whether a header could be one this sender sends: it passes the parser's header checks
    /// (with permessage-deflate taken as negotiated), and starts a message when one must start.
    func isPlausible(_ header: WebSocketFrameHeader, startsMessage: Bool) -> Bool {
        guard !(startsMessage && header.opcode == WebSocketOpcode.continuation.rawValue) else { return false }
        do {
            try WebSocketStreamParser.check(header, sender: sender, deflateNegotiated: true, maxFrameSize: maxFrameSize)
            return true
        } catch {
            return false
        }
    }

    /// The total length of the frame at `offset` when its header is complete and plausible.
    private func frameLength(in buffer: ByteBuffer, at offset: Int, startsMessage: Bool) -> Int? {
        guard let slice = buffer.getSlice(at: offset, length: min(14, buffer.writerIndex - offset)),
              let header = WebSocketFrameHeader.peek(in: slice), isPlausible(header, startsMessage: startsMessage) else { return nil }
        return header.headerLength + Int(header.payloadLength)
    }
}
