import NIOCore
import NIOHTTP1
import SocketTapeTape

/// Collects one session's records on its event loop and hands them to the tape writer in batches.
///
/// The proxy records as it relays: every frame header, every message, every decision. Records
/// gather in ``pending`` while a read batch is processed and go to the writer in one call at the
/// end of the batch (``submit()``), so the writer's lock is taken once per batch, not per frame.
/// Without a tape, recording is a no-op but timing and parsing still run.
struct SessionRecorder {
    /// The session id written on every record.
    let session: String
    /// Where the records go; `nil` without a tape.
    let writer: TapeWriter?
    private let redaction: HeaderRedaction
    /// Counts sessions and policy decisions as they are recorded (recording on or off).
    let metrics: ProxyMetrics?
    private var pending: [TapeRecord] = []

    init(session: String, writer: TapeWriter?, redaction: HeaderRedaction, metrics: ProxyMetrics? = nil) {
        self.session = session
        self.writer = writer
        self.redaction = redaction
        self.metrics = metrics
    }

    /// Whether records go anywhere.
    var isRecording: Bool { writer != nil }

    /// The current time on the tape's clock.
    func now() -> RecordTime {
        writer?.clock.now() ?? RecordTime(wallMicros: 0, offsetNanos: 0)
    }

    /// Queues a record taken now.
    mutating func record(_ body: TapeRecord.Body) {
        record(body, at: now())
    }

    /// Queues a record taken at `time`.
    mutating func record(_ body: TapeRecord.Body, at time: RecordTime) {
        if let metrics {
            switch body {
            case .open(let open): metrics.sessionOpened(open.transport)
            case .close: metrics.sessionClosed()
            case .policy(let decision): metrics.decision(rule: decision.rule, action: decision.action)
            default: break
            }
        }
        guard writer != nil else { return }
        pending.append(TapeRecord(session: session, time: time, body: body))
    }

    /// Hands the queued records to the writer.
    mutating func submit() {
        guard let writer, !pending.isEmpty else { return }
        writer.append(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// A request head as it goes on the tape: header values redacted.
    func requestRecord(_ head: HTTPRequestHead, body: ByteBuffer = ByteBuffer()) -> HTTPRequestRecord {
        HTTPRequestRecord(
            method: head.method.rawValue,
            target: head.uri,
            headers: redaction.apply(head.headers.map { HeaderField($0.name, $0.value) }),
            body: body
        )
    }

    /// A response head as it goes on the tape: header values redacted.
    func responseRecord(_ head: HTTPResponseHead, body: ByteBuffer = ByteBuffer()) -> HTTPResponseRecord {
        HTTPResponseRecord(
            status: Int(head.status.code),
            headers: redaction.apply(head.headers.map { HeaderField($0.name, $0.value) }),
            body: body
        )
    }
}
