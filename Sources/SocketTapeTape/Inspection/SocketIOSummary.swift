import SocketTapeWire

/// The Engine.IO and Socket.IO counts of `inspect TAPE` (part of ``TapeSummary``): sessions by
/// Engine.IO version and by how they travelled, the handshake parameters servers sent, and
/// Socket.IO packets and events by namespace, name and direction.
///
/// Packets are counted when complete: a BINARY_EVENT once, at its last attachment.
public struct SocketIOSummary: Sendable, Equatable {
    /// How an Engine.IO session travelled.
    public enum TransportPath: String, Sendable, Hashable, CaseIterable, Comparable {
        /// HTTP long-polling throughout.
        case pollingOnly = "polling only"
        /// Long-polling, then upgraded to WebSocket.
        case upgraded = "polling→websocket"
        /// WebSocket from the start.
        case websocketOnly = "websocket only"

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// A Socket.IO packet type, from one side.
    public struct PacketKey: Sendable, Hashable, Comparable {
        public var type: SocketIOPacketType
        public var from: Peer

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.type.rawValue, lhs.from.rawValue) < (rhs.type.rawValue, rhs.from.rawValue)
        }
    }

    /// An event name in a namespace (query left out), from one side.
    public struct EventKey: Sendable, Hashable, Comparable {
        public var namespace: String
        public var event: String
        public var from: Peer

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.namespace, lhs.event, lhs.from.rawValue) < (rhs.namespace, rhs.event, rhs.from.rawValue)
        }
    }

    /// The first message that did not decode, so the report can point at it.
    public struct DecodeErrorSample: Sendable, Equatable {
        public var session: String
        public var offsetNanos: UInt64
        public var from: Peer
        public var error: String
    }

    /// Engine.IO sessions (open records naming a version) by that version.
    public var sessionsByVersion: [Int: Int] = [:]
    /// Server `open` packets that were valid handshakes.
    public var handshakes = 0
    /// Handshake values seen, each with how many handshakes carried it.
    public var pingIntervals: [Int: Int] = [:]
    public var pingTimeouts: [Int: Int] = [:]
    /// `maxPayload` values (v4 only; v3 servers send none).
    public var maxPayloads: [Int: Int] = [:]
    /// The `upgrades` lists, joined with commas (`websocket`; empty for none).
    public var upgrades: [String: Int] = [:]
    /// Complete Socket.IO packets by type and direction.
    public var packets: [PacketKey: Int] = [:]
    /// EVENT and BINARY_EVENT packets by namespace, event name and direction.
    public var events: [EventKey: Int] = [:]
    /// Messages with an Engine.IO or Socket.IO decode error, by sender.
    public var decodeErrors: [Peer: Int] = [:]
    public var firstDecodeError: DecodeErrorSample?

    /// Sessions that ended (close record) by transport path.
    private var endedPaths: [TransportPath: Int] = [:]
    /// Sessions still open at this point of the tape.
    private var openPaths: [String: TransportPath] = [:]

    public init() {}

    /// All Engine.IO sessions.
    public var sessions: Int { sessionsByVersion.values.reduce(0, +) }

    /// How many complete `type` packets `from` sent.
    public func packets(_ type: SocketIOPacketType, from: Peer) -> Int {
        packets[PacketKey(type: type, from: from)] ?? 0
    }

    /// Sessions by transport path, those not closed on the tape included.
    public var transportPaths: [TransportPath: Int] {
        openPaths.values.reduce(into: endedPaths) { $0[$1, default: 0] += 1 }
    }

    /// Counts one record; `socketIO` is its annotation (``SocketIOAnnotator``).
    public mutating func add(_ record: TapeRecord, socketIO: SocketIOAnnotation?) {
        switch record.body {
        case .open(let open):
            guard let version = open.engineIOVersion else { return }
            sessionsByVersion[version, default: 0] += 1
            openPaths[record.session] = open.transport == .websocket ? .websocketOnly : .pollingOnly
        case .upgrade(let upgrade):
            if upgrade.transport == .websocket, openPaths[record.session] == .pollingOnly {
                openPaths[record.session] = .upgraded
            }
        case .close:
            guard !openPaths.isEmpty, let path = openPaths.removeValue(forKey: record.session) else { return }
            endedPaths[path, default: 0] += 1
        case .message(let message):
            guard let socketIO else { return }
            add(socketIO, record: record, from: message.from)
        case .frame, .http, .policy, .gap:
            return
        }
    }

    private mutating func add(_ annotation: SocketIOAnnotation, record: TapeRecord, from: Peer) {
        if let handshake = annotation.handshake {
            handshakes += 1
            pingIntervals[handshake.pingInterval, default: 0] += 1
            pingTimeouts[handshake.pingTimeout, default: 0] += 1
            if let maxPayload = handshake.maxPayload { maxPayloads[maxPayload, default: 0] += 1 }
            upgrades[handshake.upgrades.joined(separator: ","), default: 0] += 1
        }
        if let error = annotation.engineIOError ?? annotation.socketIOError {
            decodeErrors[from, default: 0] += 1
            if firstDecodeError == nil {
                firstDecodeError = DecodeErrorSample(session: record.session, offsetNanos: record.time.offsetNanos, from: from, error: error)
            }
        }
        guard let packet = annotation.socketIO.completedPacket else { return }
        packets[PacketKey(type: packet.type, from: from), default: 0] += 1
        if let name = packet.eventName {
            events[EventKey(namespace: String(packet.namespaceName), event: name, from: from), default: 0] += 1
        }
    }
}
