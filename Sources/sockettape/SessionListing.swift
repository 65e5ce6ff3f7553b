import NIOCore
import SocketTapeTape
import SocketTapeWire

/// `inspect TAPE sessions`: one line per session, printed when the session ends (or at the end of
/// the tape for sessions still open).
struct SessionListing {
    private struct Row {
        var session: String
        var startOffset: Double
        var wallMicros: Int64
        var client = ""
        var target = ""
        var transport = ""
        /// The Engine.IO version of a Socket.io session, and its id from the server's handshake.
        var engineIO: Int?
        var sid: String?
        var messages = [0, 0]
        var bytes = [0, 0]
        var close: SessionClose?
        var endOffset: Double
    }

    private var open: [String: Row] = [:]
    private var order: [String] = []

    /// Takes a record (with its ``SocketIOAnnotation``, for a Socket.io session's handshake);
    /// returns a finished session's line when `record` ends one.
    mutating func add(_ record: TapeRecord, socketIO: SocketIOAnnotation?, json: Bool) -> String? {
        guard !record.session.isEmpty else { return nil }
        if open[record.session] == nil {
            open[record.session] = Row(session: record.session, startOffset: record.time.offsetSeconds,
                                       wallMicros: record.time.wallMicros, endOffset: record.time.offsetSeconds)
            order.append(record.session)
        }
        var row = open[record.session]!
        row.endOffset = record.time.offsetSeconds
        switch record.body {
        case .open(let info):
            row.client = info.client
            row.target = info.request.target
            row.transport = info.transport.name
            row.engineIO = info.engineIOVersion
        case .http(let exchange) where row.transport.isEmpty:
            // A plain HTTP exchange is a session of its own; in a polling session it is one more request.
            row.target = exchange.request.target
            row.transport = "http"
        case .upgrade(let upgrade):
            row.transport += "→" + upgrade.transport.name
        case .message(let message):
            let side = message.from == .client ? 0 : 1
            row.messages[side] += 1
            row.bytes[side] += message.payload.readableBytes
            if let sid = socketIO?.handshake?.sid { row.sid = sid }
        case .close(let close):
            row.close = close
        case .frame, .policy, .gap, .http:
            break
        }
        open[record.session] = row
        guard row.close != nil || row.transport == "http" else { return nil }
        open[record.session] = nil
        return Self.line(row, json: json)
    }

    /// Lines of the sessions that never ended on the tape.
    mutating func finish(json: Bool) -> [String] {
        let lines = order.compactMap { open[$0] }.map { Self.line($0, json: json) }
        open = [:]
        return lines
    }

    private static func line(_ row: Row, json: Bool) -> String {
        let closeText = row.close.map { close in
            (close.code.map { "\($0)" } ?? "-") + " by \(close.by.name)" + (close.error.map { " (\($0))" } ?? "")
        } ?? "open"
        // A Socket.io session: `polling→websocket eio4 sid=lv_VI97HAXpY6yYWAAAC` (sid=? before the handshake).
        let transport = row.engineIO.map { "\(row.transport) eio\($0) sid=\(row.sid ?? "?")" } ?? row.transport
        guard json else {
            let start = TextFormat.right(TextFormat.fixed(row.startOffset, 6), 12)
            let duration = TextFormat.right(TextFormat.fixed(row.endOffset - row.startOffset, 3), 9)
            return "\(row.session)  \(start)  \(duration)s  \(transport)  \(row.client)  \(row.target)  "
                + "c→s \(row.messages[0]) msg \(ByteFormat.human(row.bytes[0]))  s→c \(row.messages[1]) msg \(ByteFormat.human(row.bytes[1]))  \(closeText)"
        }
        var object: [String: Any] = [
            "session": row.session, "t": row.startOffset, "duration": row.endOffset - row.startOffset,
            "transport": row.transport, "client": row.client, "target": row.target,
            "client_messages": row.messages[0], "client_bytes": row.bytes[0],
            "server_messages": row.messages[1], "server_bytes": row.bytes[1],
        ]
        if let engineIO = row.engineIO {
            object["engineio"] = engineIO
            object["sid"] = row.sid as Any? ?? JSONText.null
        }
        if let close = row.close {
            object["close"] = ["by": close.by.name, "code": close.code.map { Int($0) } as Any? ?? JSONText.null,
                               "reason": close.reason, "error": close.error as Any? ?? JSONText.null] as [String: Any]
        }
        return JSONText.object(object)
    }
}
