import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// One HTTP request on its way through the proxy, from the client's request head to the end of
/// the upstream's response.
struct ProxiedExchange {
    /// The request head as the client sent it.
    let request: HTTPRequestHead
    /// Whether the client asked for a WebSocket upgrade.
    let isUpgrade: Bool
    var recorder: SessionRecorder
    let startedAt: RecordTime
    var requestBody: RecordedBody
    var requestComplete = false
    /// The upstream connection carrying this exchange, once connected.
    var upstream: (any Channel)?
    /// Request parts waiting for the upstream connection.
    var waitingParts: [HTTPClientRequestPart] = []
    var response: HTTPResponseHead?
    var responseBody: RecordedBody

    /// Set when the request belongs to a Socket.io (Engine.IO) session.
    var engineIO: EngineIOContext?
    /// Set when the proxy refused the request itself by a policy rule (the Origin allow-list).
    var refusal: (rule: String, detail: String)?
    /// A polling POST whose packets the policy checks before anything goes upstream.
    var pollingGate: PollingBodyGate?
    /// The client gets this answer instead of the upstream's (a policy closed the polling session).
    var answerInstead: (status: HTTPResponseStatus, message: String)?
    /// A polling GET answered by the proxy with packets of its own: they are recorded as the proxy's.
    var answeredByProxy = false
    /// A policy rule ended the polling session (the close record's reason).
    var closedByPolicy: String?

    init(request: HTTPRequestHead, isUpgrade: Bool, engineIO: EngineIOContext?, recorder: SessionRecorder, bodyLimit: Int) {
        self.request = request
        self.isUpgrade = isUpgrade
        self.engineIO = engineIO
        self.recorder = recorder
        self.startedAt = recorder.now()
        self.requestBody = RecordedBody(limit: bodyLimit)
        self.responseBody = RecordedBody(limit: bodyLimit)
    }

    /// Writes the exchange's records: `http` for a plain request, `open` and `close` for an upgrade
    /// that did not happen, and for Engine.IO long-polling the session's records
    /// (``recordPolling(_:request:response:client:upstream:)``).
    mutating func recordOutcome(client: String, upstream: String, error: String?) {
        let requestRecord = recorder.requestRecord(request, body: requestBody.kept)
        let responseRecord = response.map { recorder.responseRecord($0, body: responseBody.kept) }
        if isUpgrade, engineIO?.knownSession != nil {
            // A polling session's upgrade that did not happen: the session goes on polling.
            recorder.record(.upgrade(TransportUpgrade(transport: .websocket, request: requestRecord, response: responseRecord)), at: startedAt)
            recorder.record(.policy(PolicyDecision(
                from: error == nil ? .server : .proxy, rule: "upgrade", action: "refused",
                detail: error ?? "upgrade refused with HTTP \(response.map { "\($0.status.code)" } ?? "-")"
            )))
        } else if isUpgrade {
            recorder.record(.open(SessionOpen(
                client: client, transport: .websocket, upstream: upstream,
                request: requestRecord, response: responseRecord, engineIOVersion: engineIO?.version.rawValue
            )), at: startedAt)
            let reason = error ?? "upgrade refused with HTTP \(response.map { "\($0.status.code)" } ?? "-")"
            recorder.record(.close(SessionClose(by: error == nil ? .server : .proxy, code: nil, reason: "", error: reason)))
        } else {
            if let engineIO {
                recordPolling(engineIO, request: requestRecord, response: responseRecord, client: client, upstream: upstream)
            } else {
                recorder.record(.http(HTTPExchange(request: requestRecord, response: responseRecord)), at: startedAt)
            }
            if let error, refusal == nil {
                recorder.record(.policy(PolicyDecision(from: .server, rule: "upstream", action: "close", detail: error)))
            }
        }
        if let refusal {
            recorder.record(.policy(PolicyDecision(from: .client, rule: refusal.rule, action: "refuse", detail: refusal.detail)))
        }
        for decision in pollingGate?.decisions ?? [] {
            recorder.record(.policy(decision))
        }
        if let reason = closedByPolicy, let sid = engineIO?.request.sid, engineIO?.sessions.remove(sid) == true {
            recorder.record(.close(SessionClose(by: .proxy, code: nil, reason: reason, error: nil)))
        }
        for (body, sender) in [(requestBody, Peer.client), (responseBody, Peer.server)] where body.droppedBytes > 0 {
            recorder.record(.policy(PolicyDecision(
                from: sender, rule: "recorded-body-limit", action: "truncate",
                detail: "kept \(body.kept.readableBytes) of \(body.kept.readableBytes + body.droppedBytes) body bytes on the tape"
            )))
        }
        recorder.submit()
    }
}

/// An HTTP body as kept for the tape: up to a limit, with the rest counted.
struct RecordedBody {
    private(set) var kept = ByteBuffer()
    private(set) var droppedBytes = 0
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    mutating func append(_ bytes: ByteBuffer) {
        let room = max(0, limit - kept.readableBytes)
        if bytes.readableBytes <= room {
            var bytes = bytes
            kept.writeBuffer(&bytes)
        } else {
            kept.writeImmutableBuffer(bytes.getSlice(at: bytes.readerIndex, length: room)!)
            droppedBytes += bytes.readableBytes - room
        }
    }
}
