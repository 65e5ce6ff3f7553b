import NIOCore

/// The 4-tuples whose connection ended by FIN or RST a short time ago.
///
/// TCP keeps an ended connection's 4-tuple in TIME_WAIT so that it is only reused with a new
/// handshake; a segment without SYN on such a 4-tuple is a late retransmission or in-flight data
/// of the ended connection, not a connection whose start the capture missed. Holds at most
/// `capacity` entries (the oldest go first).
struct TCPTimeWaitList {
    private var endedAt: [TCPConnectionKey: Int64] = [:]
    /// Every insertion in order; an entry whose key was removed or ended again later is stale and
    /// skipped when it leaves.
    private var insertions = CircularBuffer<(key: TCPConnectionKey, endedAt: Int64)>()

    /// Records that the connection on `key` ended at `wallMicros`, and forgets entries older than
    /// `duration` or beyond `capacity`.
    mutating func insert(_ key: TCPConnectionKey, endedAt wallMicros: Int64, duration: Int64, capacity: Int) {
        endedAt[key] = wallMicros
        insertions.append((key, wallMicros))
        while let oldest = insertions.first, oldest.endedAt <= wallMicros - duration || insertions.count > capacity {
            insertions.removeFirst()
            if endedAt[oldest.key] == oldest.endedAt { endedAt[oldest.key] = nil }
        }
    }

    /// Whether a connection on `key` ended less than `duration` before `wallMicros`.
    func contains(_ key: TCPConnectionKey, at wallMicros: Int64, duration: Int64) -> Bool {
        guard let ended = endedAt[key] else { return false }
        return wallMicros - ended < duration
    }

    /// A new handshake reuses `key`.
    mutating func remove(_ key: TCPConnectionKey) {
        endedAt[key] = nil
    }
}
