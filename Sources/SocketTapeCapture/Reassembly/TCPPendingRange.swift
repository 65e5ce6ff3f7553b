import NIOCore

/// A range of one direction's sequence space that arrived ahead of a hole: captured bytes, or
/// bytes the snap length cut off. Offsets count from the direction's first byte.
struct TCPPendingRange {
    enum Content {
        case bytes(ByteBuffer)
        /// Bytes the segment carried but the capture cut off.
        case missing(Int64)
    }

    var offset: Int64
    var content: Content
    /// When the segment carrying the range was captured.
    var wallMicros: Int64

    var length: Int64 {
        switch content {
        case .bytes(let bytes): Int64(bytes.readableBytes)
        case .missing(let count): count
        }
    }

    var end: Int64 { offset + length }

    /// Payload bytes held in memory (0 for a missing range).
    var bufferedBytes: Int {
        switch content {
        case .bytes(let bytes): bytes.readableBytes
        case .missing: 0
        }
    }

    /// The part of the range from `start` to `end` (both within the range); bytes stay views.
    func slice(from start: Int64, to end: Int64) -> TCPPendingRange {
        let length = end - start
        switch content {
        case .bytes(let bytes):
            let slice = bytes.getSlice(at: bytes.readerIndex + Int(start - offset), length: Int(length))!
            return TCPPendingRange(offset: start, content: .bytes(slice), wallMicros: wallMicros)
        case .missing:
            return TCPPendingRange(offset: start, content: .missing(length), wallMicros: wallMicros)
        }
    }
}
