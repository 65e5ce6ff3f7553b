import SocketTapeTape

/// One session's side of the ``CaptureBook``: its received messages, decoded like the recorded
/// ones and paired with them by position, teach the book.
final class SessionCaptures {
    let book: CaptureBook
    /// The recorded server messages as the comparison reads them (the open packet first).
    private let expected: [ObservedMessage]
    private var decoder: ObservedMessageDecoder
    private var next = 0

    init(book: CaptureBook, script: ReplayScript) {
        self.book = book
        self.expected = script.recordedMessages
        self.decoder = ObservedMessageDecoder(engineIO: script.engineIO)
    }

    /// A server message of the replay (a Socket.io session's open packet first).
    func received(_ message: ReplayMessage) {
        guard next < expected.count,
              let actual = decoder.decode(opcode: message.opcode, payload: message.payload, transport: .websocket)
        else { return }
        book.learn(expected: expected[next], actual: actual)
        next += 1
    }
}
