import NIOCore
import SocketTapeWire

extension ReplayPlan {
    /// The plan with every Socket.IO CONNECT the clients send carrying `auth` as its payload
    /// (`--auth JSON`): the proxy redacts recorded auth payloads, and a replay needs real ones.
    public func replacingConnectAuth(with auth: JSONValue) -> ReplayPlan {
        var plan = self
        for index in plan.scripts.indices {
            guard let version = plan.scripts[index].engineIO else { continue }
            let socketIO = SocketIOVersion(engineIO: version)
            for item in plan.scripts[index].outgoing.indices {
                let message = plan.scripts[index].outgoing[item].message
                guard message.opcode == .text, message.payload.getInteger(at: message.payload.readerIndex, as: UInt8.self) == UInt8(ascii: "4"),
                      let text = message.payload.getSlice(at: message.payload.readerIndex + 1, length: message.payload.readableBytes - 1),
                      var packet = try? SocketIOPacket(decoding: text, version: socketIO), packet.type == .connect
                else { continue }
                packet.data = auth
                plan.scripts[index].outgoing[item].message = ReplayMessage(opcode: .text, payload: ByteBuffer(string: "4" + packet.encodedText))
            }
        }
        return plan
    }
}
