/// One decoded record of a tape file: a ``TapeRecord`` or one of the format's own records.
enum TapeEntry: Equatable {
    case record(TapeRecord)
    /// The writer rotated: the tape continues in the segment with this number.
    case segmentNext(UInt32)
    /// The seal: the segment was closed cleanly.
    case end(TapeSeal)
    /// A kind this reader does not know (written by a later minor version); skipped.
    case unknown(kind: UInt8)
}

/// The content of a segment's seal (`end`) record.
public struct TapeSeal: Sendable, Equatable {
    /// How many records the segment holds before the seal (`segment-next` and unknown kinds included).
    public var records: UInt64
    /// How many records the writer had dropped (counted in gaps or lost to write errors) when it sealed.
    public var droppedRecords: UInt64

    public init(records: UInt64, droppedRecords: UInt64) {
        self.records = records
        self.droppedRecords = droppedRecords
    }
}
