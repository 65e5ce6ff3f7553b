import NIOCore
import SocketTapeWire

/// Keeps a replayed Socket.io session's acknowledgements of server events pointing at the right
/// events.
///
/// The client chooses the ids of its own events' acks, so those are sent as recorded. The server
/// chooses the ids of the events it wants acknowledged, and may number them differently in the
/// replay: the n-th such event the server sends is matched with the n-th one on the tape, and a
/// client ACK answering a recorded id is sent with the id the server used this time.
struct AckRenumbering {
    private let version: SocketIOVersion
    /// The ack ids of the server's events on the tape, in order.
    private let recorded: [Int]
    /// The ack ids of the server's events in this replay, in order.
    private var replayed: [Int] = []

    init(expected: [ReplayMessage], version: EngineIOVersion) {
        self.version = SocketIOVersion(engineIO: version)
        let socketIO = self.version
        recorded = expected.compactMap { Self.packet($0, version: socketIO).flatMap { $0.type.isEvent ? $0.id : nil } }
    }

    /// Notes a server message of the replay.
    mutating func serverSent(_ message: ReplayMessage) {
        guard recorded.count > replayed.count, let packet = Self.packet(message, version: version), packet.type.isEvent, let id = packet.id
        else { return }
        replayed.append(id)
    }

    /// A client message with its ACK id renumbered when the server numbered the event differently.
    func rewrite(_ message: ReplayMessage) -> ReplayMessage {
        guard var packet = Self.packet(message, version: version), packet.type == .ack || packet.type == .binaryAck,
              let id = packet.id, let index = recorded.firstIndex(of: id), index < replayed.count, replayed[index] != id
        else { return message }
        packet.id = replayed[index]
        return ReplayMessage(opcode: .text, payload: ByteBuffer(string: "4" + packet.encodedText))
    }

    /// The Socket.IO packet of an Engine.IO message packet in WebSocket text form (`4…`).
    private static func packet(_ message: ReplayMessage, version: SocketIOVersion) -> SocketIOPacket? {
        guard message.opcode == .text, message.payload.readableBytes > 1,
              message.payload.getInteger(at: message.payload.readerIndex, as: UInt8.self) == UInt8(ascii: "4"),
              let text = message.payload.getSlice(at: message.payload.readerIndex + 1, length: message.payload.readableBytes - 1)
        else { return nil }
        return try? SocketIOPacket(decoding: text, version: version)
    }
}
