import NIOCore
import SocketTapeWire

extension ReplayPlan {
    /// The plan with every Socket.IO CONNECT the clients send carrying `auth` as its payload
    /// (`--auth JSON`): the proxy redacts recorded auth payloads, and a replay needs real ones.
    public func replacingConnectAuth(with auth: JSONValue) -> ReplayPlan {
        var plan = self
        for index in plan.scripts.indices {
            guard let version = plan.scripts[index].engineIO else { continue }
            for item in plan.scripts[index].outgoing.indices {
                if let replaced = plan.scripts[index].outgoing[item].message.replacingConnectAuth(with: auth, version: version) {
                    plan.scripts[index].outgoing[item].message = replaced
                }
            }
        }
        return plan
    }
}

extension ReplayMessage {
    /// This Engine.IO message, when it carries a Socket.IO CONNECT, with `auth` as the CONNECT's
    /// payload; nil for any other message.
    func replacingConnectAuth(with auth: JSONValue, version: EngineIOVersion) -> ReplayMessage? {
        guard opcode == .text, payload.getInteger(at: payload.readerIndex, as: UInt8.self) == UInt8(ascii: "4"),
              let text = payload.getSlice(at: payload.readerIndex + 1, length: payload.readableBytes - 1),
              var packet = try? SocketIOPacket(decoding: text, version: SocketIOVersion(engineIO: version)), packet.type == .connect
        else { return nil }
        packet.data = auth
        return ReplayMessage(opcode: .text, payload: ByteBuffer(string: "4" + packet.encodedText))
    }
}
