import SocketTapeTape
import SocketTapeWire

/// What a synthesised capture knows about one tape session while it turns its records into packets.
struct SessionWireState {
    /// The client as the `open` record names it (each connection may get another port).
    var client: IPEndpoint
    var server: IPEndpoint
    /// The connection the session's WebSocket runs on, once the handshake (or upgrade) succeeded.
    var webSocket: SynthesizedTCPConnection?
    /// The permessage-deflate parameters the WebSocket handshake negotiated.
    var deflate: PerMessageDeflateParameters?
    /// Frame records not yet claimed by their message, per sender.
    private var pendingFrames: [Peer: [FrameInfo]] = [:]

    init(client: IPEndpoint, server: IPEndpoint) {
        self.client = client
        self.server = server
    }

    mutating func noteFrame(_ frame: FrameInfo) {
        pendingFrames[frame.from, default: []].append(frame)
    }

    /// The frame records of `message`: for a control message, the last pending control frame of its
    /// sender (control frames may arrive between the fragments of a data message); for a data
    /// message, all its sender's pending data frames.
    mutating func takeFrames(of message: MessageRecord) -> [FrameInfo] {
        var pending = pendingFrames[message.from] ?? []
        defer { pendingFrames[message.from] = pending }
        if WebSocketOpcode.isControl(message.opcode) {
            guard let index = pending.lastIndex(where: { WebSocketOpcode.isControl($0.opcode) }) else { return [] }
            return [pending.remove(at: index)]
        }
        let data = pending.filter { !WebSocketOpcode.isControl($0.opcode) }
        pending.removeAll { !WebSocketOpcode.isControl($0.opcode) }
        return data
    }

    /// Reads the permessage-deflate parameters from a `101` response's `Sec-WebSocket-Extensions`.
    mutating func noteHandshake(_ response: HTTPResponseRecord) {
        let offers = response.headers.filter { $0.name.lowercased() == "sec-websocket-extensions" }.map(\.value)
        deflate = offers.isEmpty ? nil : try? PerMessageDeflateParameters.negotiated(fromResponseHeader: offers.joined(separator: ", "))
    }
}
