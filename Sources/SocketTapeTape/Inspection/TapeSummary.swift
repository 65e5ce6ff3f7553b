import NIOCore

/// What `inspect TAPE` reports: counts over a whole tape, built one record at a time.
public struct TapeSummary: Sendable, Equatable {
    /// Message counts and payload bytes per opcode, for one direction.
    public struct Traffic: Sendable, Equatable {
        public var messages: [UInt8: Int] = [:]
        public var bytes: [UInt8: Int] = [:]
        public var frames = 0
        public var compressedMessages = 0
        public var fragmentedMessages = 0

        public var totalMessages: Int { messages.values.reduce(0, +) }
        public var totalBytes: Int { bytes.values.reduce(0, +) }
    }

    public var records = 0
    public var sessions: [String] = []
    public var transports: [String: Int] = [:]
    public var httpExchanges = 0
    /// Sessions that moved transport (Engine.IO polling upgraded to WebSocket).
    public var upgrades = 0
    public var firstWallMicros: Int64?
    public var lastOffsetNanos: UInt64 = 0
    public var fromClient = Traffic()
    public var fromServer = Traffic()
    /// Session ends by who closed and with which code (`nil`: no close code).
    public var closes: [CloseKey: Int] = [:]
    /// Policy decisions by rule and action, such as `protocol/close`.
    public var policies: [String: Int] = [:]
    /// Gap records: records and bytes the writer could not keep.
    public var gapRecords: UInt64 = 0
    public var gapBytes: UInt64 = 0
    /// Engine.IO sessions and Socket.IO packets; empty for a tape without Socket.io sessions.
    public var socketIO = SocketIOSummary()

    /// How a session ended, for counting.
    public struct CloseKey: Sendable, Hashable, Comparable {
        public var by: Peer
        public var code: UInt16?
        public var error: Bool

        public static func < (lhs: CloseKey, rhs: CloseKey) -> Bool {
            (lhs.code ?? 0, lhs.by.rawValue, lhs.error ? 1 : 0) < (rhs.code ?? 0, rhs.by.rawValue, rhs.error ? 1 : 0)
        }
    }

    private var seenSessions: Set<String> = []

    public init() {}

    /// Counts one record; `socketIO` is what ``SocketIOAnnotator`` made of it (nil for a tape
    /// read without one: then only the Engine.IO sessions, not their packets, are counted).
    public mutating func add(_ record: TapeRecord, socketIO annotation: SocketIOAnnotation? = nil) {
        records += 1
        socketIO.add(record, socketIO: annotation)
        if firstWallMicros == nil { firstWallMicros = record.time.wallMicros }
        lastOffsetNanos = max(lastOffsetNanos, record.time.offsetNanos)
        if !record.session.isEmpty, seenSessions.insert(record.session).inserted {
            sessions.append(record.session)
        }
        switch record.body {
        case .open(let open):
            transports[open.transport.name, default: 0] += 1
        case .frame(let frame):
            if frame.from == .client { fromClient.frames += 1 } else { fromServer.frames += 1 }
        case .message(let message):
            if message.from == .client { fromClient.add(message) } else { fromServer.add(message) }
        case .http:
            httpExchanges += 1
        case .upgrade:
            upgrades += 1
        case .policy(let policy):
            policies["\(policy.rule)/\(policy.action)", default: 0] += 1
        case .close(let close):
            closes[CloseKey(by: close.by, code: close.code, error: close.error != nil), default: 0] += 1
        case .gap(let gap):
            gapRecords += gap.records
            gapBytes += gap.bytes
        }
    }

    /// Seconds between the first and the last record.
    public var durationSeconds: Double { Double(lastOffsetNanos) / 1_000_000_000 }
}

extension TapeSummary.Traffic {
    fileprivate mutating func add(_ message: MessageRecord) {
        messages[message.opcode, default: 0] += 1
        bytes[message.opcode, default: 0] += message.payload.readableBytes
        if message.compressed { compressedMessages += 1 }
        if message.frames > 1 { fragmentedMessages += 1 }
    }
}
