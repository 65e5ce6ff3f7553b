import NIOCore

/// Measures one session of a load test into its event loop's ``LoadMetrics``: the session's
/// ``SessionObserver``.
///
/// Round trips: a Socket.IO event that asks for an acknowledgement is timed to the server's ACK
/// with its ack id and namespace (exact). Any other client message starts a measurement unless
/// one is running, ended by the next server message that is not an ACK (a heuristic that fits
/// request–answer and echo servers; docs/replay.md, "Round trips").
final class LoadSessionProbe: SessionObserver {
    private let script: ReplayScript
    /// Per client message: the ack id of an event that asks for an acknowledgement.
    private let acks: [SocketIOAckHeader?]
    private let metrics: LoadMetrics
    private let socketIO: Bool
    private let startedAt: NIODeadline
    private var waitingForAnswer: NIODeadline?
    private var waitingForAcks: [SocketIOAckHeader: NIODeadline] = [:]

    /// A probe for a session starting now, playing `script`.
    init(script: ReplayScript, acks: [SocketIOAckHeader?], metrics: LoadMetrics) {
        self.script = script
        self.acks = acks
        self.metrics = metrics
        self.socketIO = script.engineIO != nil
        self.startedAt = .now()
    }

    func sessionConnected(at time: NIODeadline) {
        metrics.sample.connect.record(nanoseconds: (time - startedAt).nanoseconds)
    }

    func sessionOpened(at time: NIODeadline) {
        metrics.sample.counts.opened += 1
        metrics.sample.handshake.record(nanoseconds: (time - startedAt).nanoseconds)
    }

    func sessionSent(outgoing index: Int, at time: NIODeadline, due: NIODeadline?) {
        metrics.sample.counts.sent += 1
        metrics.sample.counts.bytesSent += script.outgoing[index].message.payload.readableBytes
        if let due { metrics.sample.pacingError.record(nanoseconds: (time - due).nanoseconds) }
        if let ack = acks[index] {
            waitingForAcks[SocketIOAckHeader(kind: .ack, namespace: ack.namespace, id: ack.id)] = time
        } else if waitingForAnswer == nil {
            waitingForAnswer = time
        }
    }

    func sessionReceived(_ message: ReplayMessage, at time: NIODeadline) {
        metrics.sample.counts.received += 1
        metrics.sample.counts.bytesReceived += message.payload.readableBytes
        if socketIO, let header = SocketIOAckHeader(message.payload), header.kind == .ack {
            if let sent = waitingForAcks.removeValue(forKey: header) {
                metrics.sample.roundTrip.record(nanoseconds: (time - sent).nanoseconds)
                metrics.sample.counts.ackRoundTrips += 1
            }
            return
        }
        if let sent = waitingForAnswer {
            waitingForAnswer = nil
            metrics.sample.roundTrip.record(nanoseconds: (time - sent).nanoseconds)
            metrics.sample.counts.answerRoundTrips += 1
        }
    }
}
