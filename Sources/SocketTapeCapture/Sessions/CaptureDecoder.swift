import SocketTapeTape

/// Turns reassembled TCP streams into tape records: the same records the proxy writes for the
/// traffic it relays (HTTP exchanges, WebSocket and Socket.io sessions), from a capture instead.
///
/// Feed the reassembler's events in the order it produced them with ``process(_:)`` and take the
/// records with ``takeRecords()``; pure, no I/O. What the capture missed is on the tape as
/// `policy` records (rule `capture-gap`) and counted in ``statistics``.
public struct CaptureDecoder {
    private var tape: CaptureTape
    private var connections = CapturedConnections()

    /// - Parameters:
    ///   - startWallMicros: the tape's offset 0 (the capture's first packet time).
    ///   - sessionPrefix: the prefix of session ids; random by default, so imported tapes merge.
    public init(
        options: CaptureDecoderOptions, startWallMicros: Int64,
        sessionPrefix: String = "c" + String(UInt32.random(in: 0x1000_0000 ... 0xFFFF_FFFF), radix: 36)
    ) {
        tape = CaptureTape(options: options, startWallMicros: startWallMicros, sessionPrefix: sessionPrefix)
    }

    /// What was decoded and what could not be, so far.
    public var statistics: CaptureDecodingStatistics { tape.statistics }

    /// How many records were made since they were last taken.
    public var pendingRecordCount: Int { tape.records.count }

    /// The records made so far, in the order they were made; they are handed over once.
    public mutating func takeRecords() -> [TapeRecord] {
        // Most packets make no record: handing over the empty array would still cost the
        // reallocation below, as the caller holds the array being cleared.
        guard !tape.records.isEmpty else { return [] }
        defer { tape.records.removeAll(keepingCapacity: true) }
        return tape.records
    }

    /// Moves the records made so far into `records`, which must be empty. The two arrays swap
    /// storage: a caller that empties `records` keeping its capacity before the next call reuses
    /// both arrays, where ``takeRecords()`` allocates one per call that made records.
    public mutating func moveRecords(into records: inout [TapeRecord]) {
        precondition(records.isEmpty, "moveRecords(into:) takes an empty array")
        swap(&records, &tape.records)
    }

    /// Decodes one event of the reassembler.
    public mutating func process(_ event: TCPStreamEvent) {
        switch event {
        case .opened(let id, let client, let server, let handshakeSeen, _):
            tape.statistics.connections += 1
            connections.add(CapturedConnection(client: client, server: server, handshakeSeen: handshakeSeen), id: id)
        case .data(let id, let direction, let bytes, let wallMicros):
            connections.connection(id)?.received(bytes, direction, at: wallMicros, tape: &tape)
        case .gap(let id, let direction, let byteCount, let wallMicros):
            connections.connection(id)?.missed(byteCount, direction, at: wallMicros, tape: &tape)
        case .closed(let id, let direction, let reset, let wallMicros):
            if let connection = connections.connection(id) {
                connection.closed(direction, reset: reset, at: wallMicros, tape: &tape)
                if connection.isFinished { connections.remove(id) }
            }
        case .unfinished(let id, let wallMicros):
            connections.connection(id)?.unfinished(at: wallMicros, tape: &tape)
            connections.remove(id)
        }
    }
}
