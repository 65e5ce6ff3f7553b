import SocketTapeTape
import SocketTapeWire

extension ReplayScript {
    /// The Engine.IO version of a Socket.io session; nil for plain WebSocket.
    public var engineIO: EngineIOVersion? {
        guard case .socketIO(let version, _, _) = kind else { return nil }
        return version
    }

    /// The recorded server messages as the comparison reads them: the Engine.IO open packet
    /// first (for a Socket.io session), then what the client should receive, decoded by the same
    /// ``ObservedMessageDecoder`` as the replay's messages. Times are nanoseconds from the
    /// session's start.
    public var recordedMessages: [ObservedMessage] {
        var decoder = ObservedMessageDecoder(engineIO: engineIO)
        return ([openPacket].compactMap { $0 } + expected).compactMap { item in
            decoder.decode(opcode: item.message.opcode, payload: item.message.payload, transport: item.transport, time: item.offset)
        }
    }
}
