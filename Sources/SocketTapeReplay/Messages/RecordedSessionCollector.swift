import SocketTapeTape
import SocketTapeWire

/// The messages a session's server sent on the tape: what a replay of it should receive.
public struct RecordedSession: Sendable, Equatable {
    /// The session id on the tape.
    public var session: String
    /// The Engine.IO version of a Socket.io session; nil for plain WebSocket.
    public var engineIO: EngineIOVersion?
    /// The server's messages in tape order, control packets included (``ObservedMessage/isCompared``).
    public var expected: [ObservedMessage]

    public init(session: String, engineIO: EngineIOVersion?, expected: [ObservedMessage] = []) {
        self.session = session
        self.engineIO = engineIO
        self.expected = expected
    }
}

/// Collects each session's server messages while a tape is read, in tape order.
///
/// A session starts at its `open` record and is handed back at its `close` record; sessions the
/// tape never closes come out of ``finish()``. Only messages from the server are kept, decoded by
/// an ``ObservedMessageDecoder`` per session, with their time from the tape's start.
public struct RecordedSessionCollector: Sendable {
    private var open: [String: (order: Int, session: RecordedSession, decoder: ObservedMessageDecoder)] = [:]
    private var opened = 0

    public init() {}

    /// Takes the next record of the tape.
    ///
    /// - Returns: the session this record closes, if it does.
    public mutating func add(_ record: TapeRecord) -> RecordedSession? {
        switch record.body {
        case .open(let sessionOpen):
            let version = sessionOpen.engineIOVersion.flatMap(EngineIOVersion.init(rawValue:))
            open[record.session] = (opened, RecordedSession(session: record.session, engineIO: version), ObservedMessageDecoder(engineIO: version))
            opened += 1
            return nil
        case .message(let message):
            guard message.from == .server, let opcode = WebSocketOpcode(rawValue: message.opcode),
                let decoded = open[record.session]?.decoder.decode(
                    opcode: opcode, payload: message.payload, transport: message.transport, time: record.time.offsetNanos
                )
            else { return nil }
            open[record.session]?.session.expected.append(decoded)
            return nil
        case .close:
            return open.removeValue(forKey: record.session)?.session
        case .frame, .http, .policy, .upgrade, .gap:
            return nil
        }
    }

    /// The sessions still open at the end of the tape, in the order they opened.
    public mutating func finish() -> [RecordedSession] {
        defer { open.removeAll() }
        return open.values.sorted { $0.order < $1.order }.map(\.session)
    }
}
