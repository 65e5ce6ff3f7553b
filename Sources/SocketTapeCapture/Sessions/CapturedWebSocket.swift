import NIOCore
import SocketTapeTape
import SocketTapeWire

/// The WebSocket phase of a captured connection: both directions' frames parsed as the proxy
/// parses them, recorded as `frame` and `message` records, and the session's `close` at the end.
///
/// Unlike the proxy, a capture cannot close anyone: a protocol violation is recorded (a `policy`
/// record, rule `protocol`, action `log`) and parsing goes on at the next frame that can be found,
/// as it does after a hole in the capture (rule `capture-gap`, action `skip`).
///
/// A class: a session's state lives in one place and is changed there, never moved in and out
/// of the enum and dictionary that hold it on every segment.
final class CapturedWebSocket {
    // Each direction and the session's recording state are separate stored properties, so a
    // direction's parser is parsed in place (`&fromClient`) while the recording state changes: a
    // copied direction would share its buffered bytes and copy them on every append.
    private var recording: Recording
    private var fromClient: Direction
    private var fromServer: Direction
    private var finished: Set<WebSocketRole> = []

    /// One direction: its parser, and where it stands after a hole or an error.
    private struct Direction {
        var parser: WebSocketStreamParser
        var resynchronizer: WebSocketResynchronizer
    }

    /// What the session's records need, apart from the parsers.
    private struct Recording {
        let session: String
        /// The Engine.IO revision and sid of the session this WebSocket carries, when it is one;
        /// apart, so that reading the revision for every message does not copy the sid.
        let engineIOVersion: EngineIOVersion?
        let engineIOSID: String?
        let deflate: PerMessageDeflateParameters?
        /// The first close frame seen, which decides who closed the session.
        var firstClose: (by: Peer, code: UInt16?, reason: String)?

        func newParser(_ side: WebSocketRole, tape: CaptureTape) -> WebSocketStreamParser {
            WebSocketStreamParser(sender: side, deflate: deflate, limits: tape.options.webSocketLimits)
        }

        mutating func record(_ frame: ParsedFrame, from side: WebSocketRole, at wallMicros: Int64, tape: inout CaptureTape) {
            let header = frame.header
            tape.record(session, .frame(FrameInfo(
                from: side.peer, opcode: header.opcode, fin: header.fin, rsv: header.rsv,
                maskingKey: header.maskingKey, payloadLength: header.payloadLength
            )), at: wallMicros)
            guard let message = frame.message else { return }
            var payload = message.payload
            if side == .client, message.opcode == .text, let version = engineIOVersion, tape.options.redactsSocketIOAuth,
               let redacted = SocketIOAuthRedaction.redact(engineIOText: payload, version: version) {
                payload = redacted
            }
            tape.record(session, .message(MessageRecord(
                from: side.peer, opcode: message.opcode.rawValue, payload: payload,
                frames: UInt32(clamping: message.frames), compressed: message.compressed
            )), at: wallMicros)
            if message.opcode == .close, firstClose == nil {
                let parsed = try? WebSocketClosePayload.parse(message.payload)
                firstClose = (side.peer, parsed?.code, parsed?.reason ?? "")
            }
        }
    }

    /// - Parameter midStream: the handshake was not captured: both directions start by looking
    ///   for a frame, and compressed messages are tried with default permessage-deflate parameters.
    init(
        session: String, engineIO: (version: EngineIOVersion, sid: String?)?, deflate: PerMessageDeflateParameters?,
        limits: WebSocketLimits, midStream: Bool = false
    ) {
        self.recording = Recording(session: session, engineIOVersion: engineIO?.version, engineIOSID: engineIO?.sid, deflate: deflate)
        func direction(_ side: WebSocketRole) -> Direction {
            Direction(
                parser: WebSocketStreamParser(sender: side, deflate: deflate, limits: limits),
                resynchronizer: WebSocketResynchronizer(sync: WebSocketFrameSync(sender: side, maxFrameSize: limits.maxFrameSize), searching: midStream)
            )
        }
        self.fromClient = direction(.client)
        self.fromServer = direction(.server)
    }

    func received(_ bytes: ByteBuffer, from side: WebSocketRole, at wallMicros: Int64, tape: inout CaptureTape) {
        switch side {
        case .client: Self.receive(bytes, into: &fromClient, from: side, recording: &recording, at: wallMicros, tape: &tape)
        case .server: Self.receive(bytes, into: &fromServer, from: side, recording: &recording, at: wallMicros, tape: &tape)
        }
    }

    /// The capture missed `byteCount` bytes from `side`: the frame in progress is lost.
    func missed(_ byteCount: UInt64, from side: WebSocketRole, at wallMicros: Int64, tape: inout CaptureTape) {
        tape.statistics.holes += 1
        tape.statistics.bytesMissed += byteCount
        tape.record(recording.session, .policy(PolicyDecision(
            from: side.peer, rule: "capture-gap", action: "skip",
            detail: "\(byteCount) byte(s) from the \(side.peer.name) were not captured; the message in progress is lost"
        )), at: wallMicros)
        let parser = recording.newParser(side, tape: tape)
        switch side {
        case .client: Self.restart(&fromClient, with: parser, afterHoleOf: byteCount)
        case .server: Self.restart(&fromServer, with: parser, afterHoleOf: byteCount)
        }
    }

    /// One direction ended (FIN or RST); the session's close is recorded once both have, or at a reset.
    func ended(_ side: WebSocketRole, reset: Bool, at wallMicros: Int64, tape: inout CaptureTape) {
        guard finished.count < 2 else { return }
        // Who closed is who closed first: the side ending now only when it is the first, or resets.
        let closer = reset || finished.isEmpty ? side : (finished.first ?? side)
        finished.insert(side)
        guard reset || finished.count == 2 else { return }
        let error = reset ? "\(side.peer.name) reset the connection" : nil
        if let firstClose = recording.firstClose {
            finish(SessionClose(by: firstClose.by, code: firstClose.code, reason: firstClose.reason, error: error), at: wallMicros, tape: &tape)
        } else {
            let detail = error ?? "\(closer.peer.name) closed the connection without a close frame"
            finish(SessionClose(by: closer.peer, code: nil, reason: "", error: detail), at: wallMicros, tape: &tape)
        }
    }

    /// The capture ended with the connection open.
    func unfinished(at wallMicros: Int64, tape: inout CaptureTape) {
        guard finished.count < 2 else { return }
        let close = recording.firstClose.map {
            SessionClose(by: $0.by, code: $0.code, reason: $0.reason, error: "the capture ended before the connection closed")
        } ?? SessionClose(by: .proxy, code: nil, reason: "", error: "the capture ended with the session open")
        finish(close, at: wallMicros, tape: &tape)
    }

    private func finish(_ close: SessionClose, at wallMicros: Int64, tape: inout CaptureTape) {
        finished = [.client, .server]
        tape.record(recording.session, .close(close), at: wallMicros)
        if let sid = recording.engineIOSID { tape.forget(sid: sid) }
    }

    // MARK: Parsing

    private static func restart(_ direction: inout Direction, with parser: WebSocketStreamParser, afterHoleOf byteCount: UInt64) {
        direction.resynchronizer.lost(holeBytes: byteCount, partialFrame: direction.parser.takeUnparsedBytes())
        direction.parser = parser
    }

    private static func receive(
        _ bytes: ByteBuffer, into direction: inout Direction, from side: WebSocketRole, recording: inout Recording,
        at wallMicros: Int64, tape: inout CaptureTape
    ) {
        let (synced, skipped) = direction.resynchronizer.pass(bytes)
        tape.statistics.bytesSkipped += UInt64(skipped)
        guard let bytes = synced else { return }
        direction.parser.append(bytes)
        while true {
            do {
                // Recorded where it is bound: a frame copied out of an optional retains its buffers again.
                guard let frame = try direction.parser.nextFrame() else { return }
                recording.record(frame, from: side, at: wallMicros, tape: &tape)
            } catch {
                tape.record(recording.session, .policy(PolicyDecision(
                    from: side.peer, rule: "protocol", action: "log",
                    detail: "\(error.reason) (close code \(error.closeCode)); decoding goes on at the next frame found"
                )), at: wallMicros)
                var rest = direction.parser.takeUnparsedBytes()
                direction.parser = recording.newParser(side, tape: tape)
                direction.resynchronizer.lostAfterError()
                // Skip at least one byte, so the frame that failed is not found again.
                if rest.readableBytes > 0 {
                    rest.moveReaderIndex(forwardBy: 1)
                    tape.statistics.bytesSkipped += 1
                }
                receive(rest, into: &direction, from: side, recording: &recording, at: wallMicros, tape: &tape)
                return
            }
        }
    }
}

extension WebSocketRole {
    /// The peer a side's records name.
    var peer: Peer {
        switch self {
        case .client: .client
        case .server: .server
        }
    }
}
