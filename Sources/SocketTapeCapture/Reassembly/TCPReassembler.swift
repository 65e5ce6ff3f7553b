/// Turns captured TCP segments into each connection's two byte streams, in order, exactly once,
/// with the bytes the capture missed reported as gaps.
///
/// SocketTape does its own reassembly because no Swift library reassembles TCP from captured
/// segments. It is pure (no I/O, no clock: times come from the segments) and handles what real
/// captures contain:
///
/// * **Connections** are keyed by their 4-tuple. A SYN on a tracked 4-tuple that is neither a
///   retransmission of the connection's SYN or SYN-ACK nor the SYN-ACK answering its SYN starts a
///   new connection with a new id (the old one ends with `.unfinished`); after both FINs or a RST
///   a connection is forgotten, so port reuse gets a new id too; for `limits.timeWaitMicros`
///   after that end (TCP's TIME_WAIT), segments without SYN on the 4-tuple are late
///   retransmissions of the ended connection and are ignored. Simultaneous open is not
///   supported. The client is the sender of a SYN without ACK, or the receiver of a SYN-ACK
///   when the SYN was not captured (`handshakeSeen` is true in both cases). When the start was not
///   captured, the client is the endpoint whose port is not in `serverPorts`; when both or
///   neither port is, the endpoint with the higher port (ephemeral ports usually are), and with
///   equal ports the sender of the first captured segment. Pure ACKs, lone FINs and RSTs of an
///   unknown 4-tuple open nothing (they are usually the tail of a forgotten connection).
/// * **Order**: each direction's bytes are emitted in sequence order, exactly once. Duplicates and
///   retransmissions of emitted bytes are dropped; overlapping segments are trimmed, the bytes
///   seen first win (as in most stacks and Wireshark's default); segments after a hole wait until
///   it fills. Sequence numbers wrap at 2^32. A direction whose start was not captured starts at
///   its first segment with payload or FIN; earlier bytes that arrive later are dropped.
///   Segments and acknowledgments more than 2^30 bytes (the largest TCP window) ahead of the
///   next expected byte are ignored.
/// * **Holes** become `.gap` events with their exact byte count, and the data after them follows,
///   when (a) the other direction acknowledges bytes past the hole, (b) the direction's buffer
///   goes over `limits`, (c) a RST arrives, or (d) `finish` is called. A FIN does not declare
///   holes: networks reorder a FIN ahead of the data before it, which then still arrives; the
///   peer's acknowledgment of the FIN declares what is really missing.
///   Bytes a segment carried beyond the snap length (`truncatedBytes`) are a gap right after its
///   payload.
/// * **Ends**: a FIN emits `.closed(reset: false)` once every byte before it is emitted (the FIN
///   takes one sequence number); a RST emits `.closed(reset: true)` for the direction that sent
///   it and ends the connection.
///
/// Event guarantees: `.opened` comes first for a connection and `.closed` by RST or `.unfinished`
/// last; per direction, `.data` and `.gap` events cover the sequence space without overlap, in
/// order, and no `.data` or `.gap` of a direction follows its `.closed`. A RST's `.closed` names
/// the direction that sent it, even when that direction's FIN was already emitted. Consecutive
/// gaps are not merged. Events of the two directions interleave as the segments that trigger them arrive. `.data`
/// carries the capture time of its segment, a declared gap the time of the segment that
/// declared it (or `finish`'s), so times are not monotonic. `.data` payloads are views into the
/// segments' payloads, never copies.
///
/// Not handled: TCP options (SACK, timestamps, window scaling) are not looked at; checksums are
/// not verified; a RST's payload and data beyond a FIN are dropped; a RST is not checked against
/// the window; a connection reusing a 4-tuple within `limits.timeWaitMicros` of its previous
/// end is only seen from its SYN on; an acknowledged FIN the capture missed counts as a one-byte gap.
/// Ending the idle-longest connection at the connection limit
/// scans the tracked connections.
public struct TCPReassembler: Sendable {
    /// Ports that identify the server of a connection whose handshake was not captured.
    public let serverPorts: Set<UInt16>
    public let limits: TCPReassemblyLimits
    private var connections: [TCPConnectionKey: TCPConnection] = [:]
    /// The connection found last: segments come in runs of one connection, whose lookup then
    /// costs a comparison instead of a hash. Forgotten whenever a key is added or removed, which
    /// invalidates the index.
    private var lastLookup: (key: TCPConnectionKey, index: [TCPConnectionKey: TCPConnection].Index)?
    private var timeWait = TCPTimeWaitList()
    private var nextID: UInt64 = 1

    public init(serverPorts: Set<UInt16>, limits: TCPReassemblyLimits = TCPReassemblyLimits()) {
        self.serverPorts = serverPorts
        self.limits = limits
    }

    /// Connections currently tracked (opened and not yet ended).
    public var trackedConnectionCount: Int { connections.count }

    /// Takes the next captured segment, in capture order, and appends the events it causes.
    ///
    /// The in-order case costs a dictionary lookup and appends the payload itself as `.data`.
    ///
    /// - Parameters:
    ///   - segment: A decoded TCP segment of any connection.
    ///   - events: Where the events are appended (zero or more per segment).
    public mutating func process(_ segment: TCPSegment, into events: inout [TCPStreamEvent]) {
        let (key, sourceIsLower) = TCPConnectionKey.of(segment)
        if let index = index(of: key) {
            // Changed in place: reading the connection through the dictionary would copy it.
            switch connections.values[index].take(segment, sourceIsLower: sourceIsLower, limits: limits, into: &events) {
            case .continuing:
                return
            case .ended:
                removeConnection(at: index)
                enterTimeWait(key, wallMicros: segment.wallMicros)
                return
            case .notItsSYN:
                end(removeConnection(at: index), wallMicros: segment.wallMicros, into: &events)
            }
        }
        guard TCPConnection.canOpen(with: segment) else { return }
        if segment.flags.contains(.syn) {
            timeWait.remove(key)
        } else if timeWait.contains(key, at: segment.wallMicros, duration: limits.timeWaitMicros) {
            return
        }
        if connections.count >= limits.maxConnections {
            endOldestIdleConnection(wallMicros: segment.wallMicros, into: &events)
        }
        var connection = TCPConnection(
            opening: segment, sourceIsLower: sourceIsLower, id: TCPConnectionID(nextID), serverPorts: serverPorts,
            into: &events
        )
        nextID += 1
        let direction = connection.direction(sourceIsLower: sourceIsLower)
        if connection.process(segment, from: direction, limits: limits, into: &events) {
            enterTimeWait(key, wallMicros: segment.wallMicros)
        } else {
            addConnection(connection, for: key)
        }
    }

    // The only changes to `connections`' keys: each invalidates `lastLookup`'s index.

    @discardableResult
    private mutating func removeConnection(at index: [TCPConnectionKey: TCPConnection].Index) -> TCPConnection {
        lastLookup = nil
        return connections.remove(at: index).value
    }

    private mutating func addConnection(_ connection: TCPConnection, for key: TCPConnectionKey) {
        lastLookup = nil
        connections[key] = connection
    }

    private mutating func removeAllConnections() {
        lastLookup = nil
        connections.removeAll()
    }

    private mutating func index(of key: TCPConnectionKey) -> [TCPConnectionKey: TCPConnection].Index? {
        if let lastLookup, lastLookup.key == key { return lastLookup.index }
        let index = connections.index(forKey: key)
        if let index { lastLookup = (key, index) }
        return index
    }

    /// The capture ended: every connection still tracked gets its holes declared missing, its
    /// buffered bytes emitted and `.unfinished`, in the order the connections were opened.
    /// The reassembler is empty afterwards and can take a new capture.
    ///
    /// - Parameters:
    ///   - wallMicros: When the capture ended; the time of the gaps and `.unfinished` events.
    ///   - events: Where the events are appended.
    public mutating func finish(wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        let open = connections.values.sorted { $0.id.rawValue < $1.id.rawValue }
        removeAllConnections()
        timeWait = TCPTimeWaitList()
        for connection in open {
            end(connection, wallMicros: wallMicros, into: &events)
        }
    }

    private mutating func enterTimeWait(_ key: TCPConnectionKey, wallMicros: Int64) {
        timeWait.insert(key, endedAt: wallMicros, duration: limits.timeWaitMicros, capacity: limits.maxConnections)
    }

    private mutating func endOldestIdleConnection(wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        let oldestKey = connections.min {
            ($0.value.lastActivityMicros, $0.value.id.rawValue) < ($1.value.lastActivityMicros, $1.value.id.rawValue)
        }!.key
        end(removeConnection(at: connections.index(forKey: oldestKey)!), wallMicros: wallMicros, into: &events)
    }

    private func end(_ connection: consuming TCPConnection, wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        connection.declareRemainingHoles(wallMicros: wallMicros, into: &events)
        events.append(.unfinished(connection.id, wallMicros: wallMicros))
    }
}
