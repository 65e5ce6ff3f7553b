import SocketTapeTape
import SocketTapeWire

/// What every captured connection shares while it is decoded: the options, the tape's clock,
/// session ids, the Engine.IO sessions being followed, and the records made so far.
struct CaptureTape {
    let options: CaptureDecoderOptions
    /// The capture's first packet time: offset 0 on the tape.
    let startWallMicros: Int64
    /// Keeps ids unique across imports whose tapes are merged, as the proxy's prefix does.
    private let sessionPrefix: String
    private var sessionCounter = 0
    /// Engine.IO sessions by sid: their tape session and protocol revision.
    private(set) var engineIOSessions: [String: (session: String, version: EngineIOVersion)] = [:]
    /// Sids whose session ended: a request still pending at the end (a long poll) is not a new session.
    private(set) var endedSIDs: Set<String> = []
    /// Records made and not yet taken.
    var records: [TapeRecord] = []
    var statistics = CaptureDecodingStatistics()

    init(options: CaptureDecoderOptions, startWallMicros: Int64, sessionPrefix: String) {
        self.options = options
        self.startWallMicros = startWallMicros
        self.sessionPrefix = sessionPrefix
    }

    /// A new session id, such as `cap1x2y3-7`.
    mutating func newSession() -> String {
        sessionCounter += 1
        statistics.sessions += 1
        return "\(sessionPrefix)-\(sessionCounter)"
    }

    /// The tape time of a packet time.
    func time(_ wallMicros: Int64) -> RecordTime {
        RecordTime(wallMicros: wallMicros, offsetNanos: UInt64(max(0, wallMicros - startWallMicros)) * 1000)
    }

    mutating func record(_ session: String, _ body: TapeRecord.Body, at wallMicros: Int64) {
        records.append(TapeRecord(session: session, time: time(wallMicros), body: body))
    }

    /// Starts following `sid` as tape session `session`.
    mutating func follow(sid: String, session: String, version: EngineIOVersion) {
        engineIOSessions[sid] = (session, version)
    }

    /// Stops following `sid`; returns whether it was followed.
    @discardableResult
    mutating func forget(sid: String) -> Bool {
        guard engineIOSessions.removeValue(forKey: sid) != nil else { return false }
        endedSIDs.insert(sid)
        return true
    }

    /// A request record as it goes on the tape: header values redacted.
    func requestRecord(_ message: HTTPMessageReader.Message) -> HTTPRequestRecord {
        guard case .request(let method, let target) = message.head.startLine else { preconditionFailure("a request") }
        return HTTPRequestRecord(method: method, target: target, headers: options.redaction.apply(message.head.headers), body: message.body)
    }

    /// A response record as it goes on the tape: header values redacted.
    func responseRecord(_ message: HTTPMessageReader.Message) -> HTTPResponseRecord {
        guard case .response(let status) = message.head.startLine else { preconditionFailure("a response") }
        return HTTPResponseRecord(status: status, headers: options.redaction.apply(message.head.headers), body: message.body)
    }
}
