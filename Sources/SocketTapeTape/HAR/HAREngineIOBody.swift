import NIOCore
import SocketTapeWire

/// The Engine.IO packets of a polling body from a HAR, read as ``PollingTranscript`` reads the
/// bodies the proxy relays.
enum HAREngineIOBody {
    /// The body's packets; v3's binary payload when the Content-Type is `application/octet-stream`.
    /// (A HAR holds bodies already decoded, whatever `Content-Encoding` says.)
    static func packets(_ body: ByteBuffer, headers: [HeaderField], version: EngineIOVersion) -> Result<[EngineIOPacket], EngineIOError> {
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
        return PollingTranscript.packets(in: body, contentType: contentType, contentEncoding: nil, version: version)
    }

    /// One polling message per packet (see ``PollingTranscript/messages(_:raw:from:version:)``).
    /// `closes`: a packet was Engine.IO close.
    static func messages(
        _ body: ByteBuffer, headers: [HeaderField], version: EngineIOVersion, from peer: Peer
    ) -> (messages: [MessageRecord], closes: Bool) {
        let packets = packets(body, headers: headers, version: version)
        let closes = (try? packets.get())?.contains { $0.type == .close } ?? false
        return (PollingTranscript.messages(packets, raw: body, from: peer, version: version), closes)
    }
}
