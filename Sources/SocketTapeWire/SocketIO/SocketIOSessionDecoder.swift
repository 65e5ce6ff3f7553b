import NIOCore

/// Decodes the Engine.IO and Socket.IO packets of one session, message by message, in the
/// order they crossed: WebSocket messages and the packets of polling bodies alike, from both
/// sides. It keeps one ``SocketIOBinaryReassembler`` per side, so a binary packet's attachments
/// may follow on another transport (a header in a polling body, attachments after the upgrade).
///
/// The Engine.IO version (from the `EIO` query parameter, ``EngineIOVersion/init(requestTarget:)``)
/// decides the formats and the Socket.IO version: `EIO=3` → Socket.IO v4, `EIO=4` → v5.
/// Engine.IO `message` packets carry Socket.IO packets; other Engine.IO packets have no
/// Socket.IO part. Nothing here throws: every problem becomes the outcome's `error`.
public struct SocketIOSessionDecoder: Sendable {
    public let engineIOVersion: EngineIOVersion
    public let socketIOVersion: SocketIOVersion
    private var fromClient = SocketIOBinaryReassembler()
    private var fromServer = SocketIOBinaryReassembler()

    public init(engineIO: EngineIOVersion) {
        engineIOVersion = engineIO
        socketIOVersion = SocketIOVersion(engineIO: engineIO)
    }

    /// Decodes one message: a WebSocket message (`transport: .websocket`), or one packet of a
    /// polling body (`transport: .polling`): text as in a text payload (`42["chat"]`,
    /// `b<base64>`), binary as an entry of v3's binary payload (type byte, then data).
    ///
    /// Opcodes other than text and binary (close, ping, pong) are not Engine.IO: the outcome
    /// is empty.
    public mutating func decode(from sender: WebSocketRole, transport: EngineIOTransport, opcode: WebSocketOpcode, payload: ByteBuffer) -> SocketIOSessionOutcome {
        let packet: EngineIOPacket
        do {
            switch opcode {
            case .text:
                packet = try decodeText(payload, transport: transport)
            case .binary:
                packet = try EngineIOPacket.decode(webSocketBinary: payload, version: engineIOVersion)
            default:
                return SocketIOSessionOutcome()
            }
        } catch {
            return SocketIOSessionOutcome(error: error.description)
        }
        return decode(from: sender, packet: packet)
    }

    /// Decodes every packet of a polling body (see ``EngineIOPayload``). A body that does not
    /// decode gives one outcome with the error.
    public mutating func decode(from sender: WebSocketRole, pollingBody body: ByteBuffer, binary: Bool = false) -> [SocketIOSessionOutcome] {
        do {
            return try EngineIOPayload.decode(body, version: engineIOVersion, binary: binary).map { decode(from: sender, packet: $0) }
        } catch {
            return [SocketIOSessionOutcome(error: error.description)]
        }
    }

    /// Decodes the Socket.IO side of an Engine.IO packet that is already decoded.
    public mutating func decode(from sender: WebSocketRole, packet: EngineIOPacket) -> SocketIOSessionOutcome {
        guard packet.type == .message else { return SocketIOSessionOutcome(engineIO: packet) }
        switch sender {
        case .client: return Self.decodeMessage(packet, version: socketIOVersion, reassembler: &fromClient)
        case .server: return Self.decodeMessage(packet, version: socketIOVersion, reassembler: &fromServer)
        }
    }

    private func decodeText(_ payload: ByteBuffer, transport: EngineIOTransport) throws(EngineIOError) -> EngineIOPacket {
        guard transport == .polling else { return try EngineIOPacket.decode(webSocketText: payload) }
        return try payload.withUnsafeReadableBytes { bytes in
            Result { () throws(EngineIOError) in
                if let invalid = firstInvalidUTF8Offset(bytes) { throw EngineIOError(offset: invalid, reason: "a text packet that is not UTF-8") }
                return try EngineIOPacket.decodeText(bytes, at: 0, base64: engineIOVersion)
            }
        }.get()
    }

    private static func decodeMessage(_ packet: EngineIOPacket, version: SocketIOVersion, reassembler: inout SocketIOBinaryReassembler) -> SocketIOSessionOutcome {
        var outcome = SocketIOSessionOutcome(engineIO: packet)
        do {
            switch packet.data {
            case .binary(let attachment):
                let count = reassembler.pending?.attachments ?? 0
                let index = reassembler.receivedCount
                let completed = try reassembler.add(attachment: attachment)
                outcome.socketIO = .attachment(index: index, count: count, completed: completed)
            case .text, .empty:
                if let abandoned = reassembler.pending {
                    outcome.error = "Socket.IO: a text message arrived while \(abandoned.type.name) on \(abandoned.namespace) still waited for "
                        + "attachment \(reassembler.receivedCount + 1) of \(abandoned.attachments); that packet is abandoned"
                }
                var text = packet.text ?? ""
                let header = try text.withUTF8 { utf8 in
                    Result { () throws(SocketIOError) in try SocketIOPacket(decoding: UnsafeRawBufferPointer(utf8), version: version) }
                }.get()
                if let complete = try reassembler.begin(header) {
                    outcome.socketIO = .packet(complete)
                } else {
                    outcome.socketIO = .awaitingAttachments(header, count: header.attachments)
                }
            }
        } catch {
            // Offsets in the Socket.IO text count from after the Engine.IO type digit.
            let shifted = SocketIOError(offset: error.offset.map { $0 + 1 }, reason: error.reason)
            outcome.error = [outcome.error, shifted.description].compactMap { $0 }.joined(separator: "; ")
            outcome.socketIO = .none
        }
        return outcome
    }
}
