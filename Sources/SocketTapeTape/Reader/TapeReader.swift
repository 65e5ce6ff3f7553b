#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a tape record by record, without loading the file, following rotation into `PATH.1`, `PATH.2`, ….
///
/// Reading stops at the seal of the last segment, at the end of the file, or at the first damaged
/// record. Damage is not an error: every whole record before it is returned, then ``next(follow:)``
/// returns `nil` and ``damage`` says where and what. Errors are reserved for files that are not
/// tapes at all and for failing system calls.
///
/// ```swift
/// var reader = try TapeReader(path: "session.tape")
/// while let record = try reader.next() { print(record) }
/// if let damage = reader.damage { print(damage) }
/// ```
public struct TapeReader {
    /// How long follow mode sleeps before looking for more bytes.
    static let pollMicroseconds: useconds_t = 50_000

    /// The header of the segment being read (its ``TapeHeader/segment`` changes as rotation is followed).
    public private(set) var header: TapeHeader
    /// Set once reading has ended early: a torn tail, a checksum mismatch, a malformed record, a missing segment.
    public private(set) var damage: TapeDamage?
    /// The seal of the last segment, once reached: the tape was closed cleanly.
    public private(set) var seal: TapeSeal?
    /// Whether the tape's last segment was sealed (closed cleanly); `false` until the seal is read.
    public var sealed: Bool { seal != nil }
    /// The path of the segment file being read.
    public var path: String { segment.file.path }

    private let basePath: String
    private var segment: TapeSegmentReader
    /// Set by a `segment-next` record; followed when the segment's seal is read.
    private var nextSegment: UInt32?
    private var finished = false

    /// Opens the tape at `path` (any of its segments) and reads its header.
    ///
    /// - Throws: ``TapeIOError`` when the file cannot be opened or read; ``TapeReadError`` when it is
    ///   not a tape, its header is damaged or cut short, or its major version is unknown.
    public init(path: String) throws {
        var segment = try TapeSegmentReader(path: path)
        guard let header = try segment.readHeader() else {
            throw TapeReadError.badHeader(path: path, reason: "the file ends inside the header")
        }
        self.segment = segment
        self.header = header
        self.basePath = TapeSegmentPath.base(of: path, segment: header.segment)
    }

    /// The next record, or `nil` at the end of the tape (then see ``sealed`` and ``damage``).
    public mutating func next() throws -> TapeRecord? {
        try next(follow: false)
    }

    /// The next record; with `follow`, waits for the writer instead of ending at an unsealed end of file.
    ///
    /// In follow mode an incomplete record at the end of the file means the writer is still writing
    /// it: the reader polls every 50 ms and returns once the record is whole. It returns `nil` only
    /// after the tape's seal or at damage, so a tape whose writer died is followed until the caller
    /// gives up. Without `follow`, an incomplete record is a torn tail.
    public mutating func next(follow: Bool) throws -> TapeRecord? {
        while !finished {
            switch try segment.nextEntry() {
            case .entry(.record(let record)):
                return record
            case .entry(.unknown):
                continue
            case .entry(.segmentNext(let number)):
                nextSegment = number
            case .entry(.end(let seal)):
                try finishSegment(seal, follow: follow)
            case .incomplete(let buffered):
                if follow {
                    usleep(Self.pollMicroseconds)
                } else {
                    if buffered > 0 { stop(segment.damage(.tornTail(bytesLost: Int64(buffered)))) }
                    finished = true
                }
            case .damaged(let damage):
                stop(damage)
            }
        }
        return nil
    }

    private mutating func finishSegment(_ seal: TapeSeal, follow: Bool) throws {
        guard seal.records == segment.recordsRead else {
            let reason = "the seal counts \(seal.records) records, the segment holds \(segment.recordsRead)"
            return stop(segment.damage(.malformedRecord(reason: reason)))
        }
        guard let number = nextSegment else {
            self.seal = seal
            finished = true
            return
        }
        let nextPath = TapeSegmentPath.path(base: basePath, segment: number)
        while true {
            do {
                var next = try TapeSegmentReader(path: nextPath)
                if let nextHeader = try next.readHeader() {
                    guard nextHeader.segment == number else {
                        let reason = "\(nextPath) holds segment \(nextHeader.segment), not \(number)"
                        return stop(segment.damage(.missingSegment(reason: reason)))
                    }
                    (segment, header, nextSegment) = (next, nextHeader, nil)
                    return
                }
                if !follow { return stop(segment.damage(.missingSegment(reason: "\(nextPath) ends inside its header"))) }
            } catch let error as TapeIOError where error.errno == ENOENT {
                if !follow { return stop(segment.damage(.missingSegment(reason: "\(nextPath) does not exist"))) }
            }
            usleep(Self.pollMicroseconds)
        }
    }

    private mutating func stop(_ damage: TapeDamage) {
        self.damage = damage
        finished = true
    }
}
