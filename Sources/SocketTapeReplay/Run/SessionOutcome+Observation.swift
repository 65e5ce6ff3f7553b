import SocketTapeTape

extension SessionOutcome {
    /// What the comparison reads of this replay of `script`: the received messages (after a
    /// Socket.io session's new open packet) decoded like the recorded ones, and the error.
    public func observation(of script: ReplayScript) -> SessionObservation {
        var decoder = ObservedMessageDecoder(engineIO: script.engineIO)
        let opening = openPacket.map { [(message: $0, offset: handshakeNanos ?? 0)] } ?? []
        // Every received message is in its WebSocket form, whichever transport carried it.
        let actual = (opening + received).compactMap { item in
            decoder.decode(opcode: item.message.opcode, payload: item.message.payload, transport: .websocket, time: item.offset)
        }
        return SessionObservation(session: session, expected: script.recordedMessages, actual: actual, error: error)
    }
}
