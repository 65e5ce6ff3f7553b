import NIOCore

/// One direction of a TCP connection, put back in sequence order.
///
/// Sequence numbers are mapped to 64-bit stream offsets (bytes from the direction's first byte)
/// with serial-number arithmetic (RFC 1982), so they wrap at 2^32 transparently. Each offset is
/// emitted once, as data or as part of a gap: bytes before the next expected offset are dropped
/// (duplicates, retransmissions), and where ranges overlap the bytes seen first win (the choice
/// of most stacks and of Wireshark's default). Bytes after a hole wait in `pending` until the hole
/// fills or is declared missing.
struct TCPDirectionStream {
    /// Segments and acknowledgments more than the largest TCP window (RFC 7323: 2^30 bytes)
    /// ahead of the next expected byte cannot belong to this stream and are ignored.
    private static let maximumWindow: Int64 = 1 << 30

    let id: TCPConnectionID
    let direction: TCPDirection
    /// The sequence number of stream offset 0; nil until the direction's start is known.
    private var baseSequence: UInt32?
    /// The stream offset of the next byte to emit.
    private var nextOffset: Int64 = 0
    /// Ranges after a hole, sorted by offset, never overlapping, all after `nextOffset`.
    private var pending: [TCPPendingRange] = []
    private var pendingBytes = 0
    /// Whether the direction's FIN has been emitted; later segments are ignored.
    private(set) var isClosed = false
    /// The stream offset of a FIN seen while bytes before it are still missing: the direction
    /// closes once they arrive or are declared missing. Networks reorder a FIN ahead of data too.
    private var finOffset: Int64?

    init(id: TCPConnectionID, direction: TCPDirection) {
        self.id = id
        self.direction = direction
    }

    /// Sets the sequence number of the direction's first byte, unless it is already known.
    mutating func startIfNeeded(at sequence: UInt32) {
        if baseSequence == nil { baseSequence = sequence }
    }

    /// Takes a segment's payload (starting at `sequence`), its truncated bytes and its FIN.
    ///
    /// A direction whose start is unknown starts here. In-order bytes are emitted at once as the
    /// payload itself (no copy); bytes after a hole are buffered. A FIN closes the direction once
    /// every byte before it is emitted or declared missing.
    mutating func receive(
        sequence: UInt32, payload: ByteBuffer, truncatedBytes: UInt32, fin: Bool, wallMicros: Int64,
        limits: TCPReassemblyLimits, into events: inout [TCPStreamEvent]
    ) {
        guard !isClosed, payload.readableBytes > 0 || truncatedBytes > 0 || fin else { return }
        startIfNeeded(at: sequence)
        let start = offset(of: sequence)
        guard start - nextOffset <= Self.maximumWindow else { return }
        let payloadEnd = start + Int64(payload.readableBytes)
        // Most segments are next in order with nothing waiting: emitted as they are.
        if start == nextOffset, pending.isEmpty, truncatedBytes == 0, !fin {
            events.append(.data(id, direction, payload, wallMicros: wallMicros))
            nextOffset = payloadEnd
            return
        }
        accept(TCPPendingRange(offset: start, content: .bytes(payload), wallMicros: wallMicros), into: &events)
        if truncatedBytes > 0 {
            let cut = TCPPendingRange(offset: payloadEnd, content: .missing(Int64(truncatedBytes)), wallMicros: wallMicros)
            accept(cut, into: &events)
        }
        if fin {
            noteFIN(at: payloadEnd + Int64(truncatedBytes))
        }
        while pendingBytes > limits.maxBufferedBytesPerDirection || pending.count > limits.maxBufferedSegmentsPerDirection {
            advance(declaringHolesBefore: pending[0].offset, wallMicros: wallMicros, into: &events)
        }
        closeIfComplete(wallMicros: wallMicros, into: &events)
    }

    /// The other side acknowledged everything before `acknowledgment`: holes before it were
    /// received by the peer but missed by the capture, and are declared missing.
    ///
    /// An acknowledgment of a FIN the capture missed counts that FIN as one missing byte.
    mutating func acknowledge(_ acknowledgment: UInt32, wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        guard !isClosed, baseSequence != nil else { return }
        var acknowledged = offset(of: acknowledgment)
        guard acknowledged > nextOffset, acknowledged - nextOffset <= Self.maximumWindow else { return }
        // The acknowledgment of a FIN seen covers the FIN's sequence number, not a byte.
        if let finOffset { acknowledged = min(acknowledged, finOffset) }
        advance(declaringHolesBefore: acknowledged, wallMicros: wallMicros, into: &events)
        closeIfComplete(wallMicros: wallMicros, into: &events)
    }

    /// Declares every hole before the last buffered byte missing and emits all buffered bytes:
    /// the connection ends without a FIN for this direction.
    mutating func declareRemainingHoles(wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        let end = max(pending.last?.end ?? nextOffset, finOffset ?? nextOffset)
        advance(declaringHolesBefore: end, wallMicros: wallMicros, into: &events)
        closeIfComplete(wallMicros: wallMicros, into: &events)
    }

    /// The stream offset of `sequence`, by its signed 32-bit distance from the next expected byte.
    private func offset(of sequence: UInt32) -> Int64 {
        let nextSequence = baseSequence! &+ UInt32(truncatingIfNeeded: nextOffset)
        return nextOffset + Int64(Int32(bitPattern: sequence &- nextSequence))
    }

    /// Emits what of `range` is new: at once when it is next and nothing waits, else by way of
    /// the buffer.
    private mutating func accept(_ range: TCPPendingRange, into events: inout [TCPStreamEvent]) {
        guard range.end > nextOffset else { return }
        let fresh = range.offset < nextOffset ? range.slice(from: nextOffset, to: range.end) : range
        if fresh.offset == nextOffset, pending.isEmpty {
            emit(fresh, into: &events)
            return
        }
        buffer(fresh)
        if fresh.offset == nextOffset {
            advance(declaringHolesBefore: .min, wallMicros: fresh.wallMicros, into: &events)
        }
    }

    /// Adds the parts of `range` no buffered range covers yet (first seen wins).
    private mutating func buffer(_ range: TCPPendingRange) {
        var index = firstPendingIndex(endingAfter: range.offset)
        var cursor = range.offset
        while cursor < range.end {
            let nextStart = index < pending.count ? pending[index].offset : .max
            if cursor < nextStart {
                let piece = range.slice(from: cursor, to: min(nextStart, range.end))
                pending.insert(piece, at: index)
                pendingBytes += piece.bufferedBytes
                cursor = piece.end
            } else {
                cursor = pending[index].end
            }
            index += 1
        }
    }

    /// Binary search: the first buffered range that ends after `offset`.
    private func firstPendingIndex(endingAfter offset: Int64) -> Int {
        var low = 0
        var high = pending.count
        while low < high {
            let middle = (low + high) / 2
            if pending[middle].end <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Emits buffered ranges that are next in order; holes before `limit` are declared missing
    /// (one `.gap` each, stamped `wallMicros`) instead of stopping the emission.
    private mutating func advance(declaringHolesBefore limit: Int64, wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        var emitted = 0
        while true {
            if emitted < pending.count, pending[emitted].offset == nextOffset {
                pendingBytes -= pending[emitted].bufferedBytes
                emit(pending[emitted], into: &events)
                emitted += 1
                continue
            }
            guard nextOffset < limit else { break }
            let holeEnd = emitted < pending.count ? min(pending[emitted].offset, limit) : limit
            events.append(.gap(id, direction, byteCount: UInt64(holeEnd - nextOffset), wallMicros: wallMicros))
            nextOffset = holeEnd
        }
        pending.removeFirst(emitted)
    }

    private mutating func emit(_ range: TCPPendingRange, into events: inout [TCPStreamEvent]) {
        switch range.content {
        case .bytes(let bytes):
            events.append(.data(id, direction, bytes, wallMicros: range.wallMicros))
        case .missing(let count):
            events.append(.gap(id, direction, byteCount: UInt64(count), wallMicros: range.wallMicros))
        }
        nextOffset = range.end
    }

    /// Notes a FIN at `offset`. A FIN that contradicts bytes already seen after it, or an earlier
    /// FIN, is ignored (first seen wins).
    private mutating func noteFIN(at offset: Int64) {
        guard finOffset == nil, offset >= nextOffset, offset >= pending.last?.end ?? offset else { return }
        finOffset = offset
    }

    /// Emits the FIN once every byte before it is out.
    private mutating func closeIfComplete(wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        guard !isClosed, let finOffset, nextOffset >= finOffset, pending.isEmpty else { return }
        events.append(.closed(id, direction, reset: false, wallMicros: wallMicros))
        isClosed = true
    }
}
