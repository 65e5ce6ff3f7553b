import NIOCore
import SocketTapeWire

/// The Engine.IO packets of a polling body from a HAR, as the polling messages the proxy records.
enum HAREngineIOBody {
    /// The body's packets; v3's binary payload when the Content-Type is `application/octet-stream`.
    /// (A HAR holds bodies already decoded, whatever `Content-Encoding` says.)
    static func packets(_ body: ByteBuffer, headers: [HeaderField], version: EngineIOVersion) -> Result<[EngineIOPacket], EngineIOError> {
        guard body.readableBytes > 0 else { return .success([]) }
        let binary = headers.contains { $0.name.lowercased() == "content-type" && $0.value.lowercased().hasPrefix("application/octet-stream") }
        return Result { () throws(EngineIOError) in try EngineIOPayload.decode(body, version: version, binary: binary) }
    }

    /// One polling message per packet, in the form a WebSocket message would carry it; a body that
    /// does not decode becomes one message holding it whole. `closes`: a packet was Engine.IO close.
    static func messages(
        _ body: ByteBuffer, headers: [HeaderField], version: EngineIOVersion, from peer: Peer
    ) -> (messages: [MessageRecord], closes: Bool) {
        switch packets(body, headers: headers, version: version) {
        case .success(let packets):
            let messages = packets.compactMap { packet in
                (try? packet.webSocketMessage(version: version)).map {
                    MessageRecord(from: peer, opcode: $0.opcode.rawValue, payload: $0.payload, frames: 0, compressed: false, transport: .polling)
                }
            }
            return (messages, packets.contains { $0.type == .close })
        case .failure:
            let opcode: UInt8 = UTF8Validator.isValid(body) ? 1 : 2
            return ([MessageRecord(from: peer, opcode: opcode, payload: body, frames: 0, compressed: false, transport: .polling)], false)
        }
    }
}
