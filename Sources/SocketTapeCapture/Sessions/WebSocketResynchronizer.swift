import NIOCore
import SocketTapeWire

/// Brings one captured WebSocket direction back to a frame boundary after a hole in the capture
/// or a protocol error, so decoding can go on.
///
/// When the hole fell inside a frame whose header was captured, the boundary is known exactly:
/// the rest of that frame is skipped, then any continuation frames of its message (their headers
/// say how long they are), and decoding resumes at the next message. Otherwise (the hole swallowed
/// a header, or the bytes broke the protocol) the next plausible message start is searched for
/// (``WebSocketFrameSync``).
struct WebSocketResynchronizer {
    private enum State {
        case inSync
        /// Bytes still to skip of the frame the hole cut.
        case skipping(Int)
        /// At a frame boundary, inside a message whose start is lost: continuation frames are skipped.
        case skippingContinuations
        /// Looking for a plausible message start.
        case searching
    }

    private let sync: WebSocketFrameSync
    private var state: State
    /// Bytes held while the next header or a plausible frame start is incomplete.
    private var held = ByteBuffer()

    /// - Parameter searching: start by looking for a frame (a capture that began mid-connection).
    init(sync: WebSocketFrameSync, searching: Bool) {
        self.sync = sync
        self.state = searching ? .searching : .inSync
    }

    /// The capture missed `holeBytes` while the parser held `partialFrame` (the frame in progress,
    /// from its first byte).
    mutating func lost(holeBytes: UInt64, partialFrame: ByteBuffer) {
        held = ByteBuffer()
        guard let header = WebSocketFrameHeader.peek(in: partialFrame), header.payloadLength <= sync.maxFrameSize else {
            state = .searching
            return
        }
        let remaining = Int64(header.headerLength) + Int64(header.payloadLength) - Int64(partialFrame.readableBytes) - Int64(holeBytes)
        state = remaining >= 0 ? .skipping(Int(remaining)) : .searching
    }

    /// The bytes broke the protocol: search for the next message start (after its first byte).
    mutating func lostAfterError() {
        held = ByteBuffer()
        state = .searching
    }

    /// Passes bytes through once in sync; returns the ones that continue at a frame boundary
    /// (nil while still synchronising) and how many were skipped.
    mutating func pass(_ bytes: ByteBuffer) -> (bytes: ByteBuffer?, skipped: Int) {
        var bytes = bytes
        var skipped = 0
        while true {
            switch state {
            case .inSync:
                return (bytes, skipped)
            case .skipping(let count):
                guard bytes.readableBytes > count else {
                    state = .skipping(count - bytes.readableBytes)
                    return (nil, skipped + bytes.readableBytes)
                }
                bytes.moveReaderIndex(forwardBy: count)
                skipped += count
                state = .skippingContinuations
            case .skippingContinuations:
                held.writeBuffer(&bytes)
                guard let header = WebSocketFrameHeader.peek(in: held) else { return (nil, skipped) }
                guard sync.isPlausible(header, startsMessage: false) else {
                    state = .searching
                    bytes = take()
                    continue
                }
                guard header.opcode == 0 else {
                    state = .inSync
                    return (take(), skipped)
                }
                bytes = take()
                state = .skipping(header.headerLength + Int(header.payloadLength))
            case .searching:
                held.writeBuffer(&bytes)
                switch sync.search(held) {
                case .found(let offset):
                    held.moveReaderIndex(forwardBy: offset)
                    state = .inSync
                    return (take(), skipped + offset)
                case .waiting(let offset):
                    held.moveReaderIndex(forwardBy: offset)
                    held.discardReadBytes()
                    return (nil, skipped + offset)
                case .none:
                    // A header cut short at the end may still begin a frame.
                    let drop = max(0, held.readableBytes - 13)
                    held.moveReaderIndex(forwardBy: drop)
                    held.discardReadBytes()
                    return (nil, skipped + drop)
                }
            }
        }
    }

    private mutating func take() -> ByteBuffer {
        defer { held = ByteBuffer() }
        return held
    }
}
