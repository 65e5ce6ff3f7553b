/// The connections a ``CaptureDecoder`` has open, by id: a dictionary, with a small direct-mapped
/// table of the recently used ones in front of it.
///
/// Nearly every event looks a connection up, and hashing the id (SipHash) took about 3 % of an
/// import's decoding thread. The reassembler hands ids out in sequence, so the connections open
/// at the same time seldom share a slot of the table: most lookups compare one id and hash none.
struct CapturedConnections {
    private var byID: [TCPConnectionID: CapturedConnection] = [:]
    /// Slot `id % slotCount` holds the last connection looked up or added with such an id.
    private var recent = [(id: TCPConnectionID, connection: CapturedConnection)?](repeating: nil, count: Self.slotCount)
    private static let slotCount = 256

    /// The open connection with `id`, if any.
    mutating func connection(_ id: TCPConnectionID) -> CapturedConnection? {
        let slot = Self.slot(of: id)
        if let entry = recent[slot], entry.id == id { return entry.connection }
        guard let connection = byID[id] else { return nil }
        recent[slot] = (id, connection)
        return connection
    }

    /// Adds a connection that has just opened.
    mutating func add(_ connection: CapturedConnection, id: TCPConnectionID) {
        byID[id] = connection
        recent[Self.slot(of: id)] = (id, connection)
    }

    /// Forgets a connection that has ended.
    mutating func remove(_ id: TCPConnectionID) {
        byID[id] = nil
        let slot = Self.slot(of: id)
        if recent[slot]?.id == id { recent[slot] = nil }
    }

    private static func slot(of id: TCPConnectionID) -> Int {
        Int(truncatingIfNeeded: id.rawValue % UInt64(slotCount))
    }
}
