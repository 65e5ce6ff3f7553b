import NIOCore
import SocketTapeWire

/// Where the proxy may put a message of its own into the server's stream to the client.
///
/// Not inside a fragmented server message (a new data frame there is a protocol error), and in
/// a Socket.io session not between a binary packet and its attachments (the client's decoder
/// takes the next binary messages as the attachments). Frames wait here until such a boundary.
struct ClientInjection {
    /// Whether the session is Socket.io (its binary packets' attachments are followed).
    let socketIO: Bool
    /// The server's last forwarded data frame was not the last of its message.
    private var midMessage = false
    /// Attachments the server still owes its last binary packet.
    private var attachmentsDue = 0
    private var waiting: [ByteBuffer] = []

    init(socketIO: Bool) {
        self.socketIO = socketIO
    }

    /// Whether a frame of the proxy's would land at a boundary now.
    var atBoundary: Bool { !midMessage && attachmentsDue == 0 }

    /// A server data frame went to the client.
    mutating func forwardedFrame(fin: Bool) {
        midMessage = !fin
    }

    /// A complete server data message (its frames forwarded or about to be).
    mutating func serverMessage(_ message: WebSocketMessage) {
        guard socketIO else { return }
        if message.opcode == .binary {
            attachmentsDue = max(0, attachmentsDue - 1)
        } else if let count = Self.attachmentCount(message.payload) {
            attachmentsDue = count
        }
    }

    /// Keeps a frame until the next boundary.
    mutating func hold(_ frame: ByteBuffer) {
        waiting.append(frame)
    }

    /// The held frames, when at a boundary.
    mutating func takeReady() -> [ByteBuffer] {
        guard atBoundary, !waiting.isEmpty else { return [] }
        defer { waiting = [] }
        return waiting
    }

    /// The attachment count of an Engine.IO message carrying a BINARY_EVENT or BINARY_ACK
    /// (`45N-…`, `46N-…`); nil for other messages.
    static func attachmentCount(_ payload: ByteBuffer) -> Int? {
        let bytes = payload.readableBytesView
        var index = bytes.startIndex
        guard bytes.count > 3, bytes[index] == UInt8(ascii: "4") else { return nil }
        index += 1
        guard bytes[index] == UInt8(ascii: "5") || bytes[index] == UInt8(ascii: "6") else { return nil }
        index += 1
        var count = 0
        while index < bytes.endIndex, let digit = Self.digit(bytes[index]) {
            count = count * 10 + digit
            guard count <= 1 << 20 else { return nil }
            index += 1
        }
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "-"), index > bytes.startIndex + 2 else { return nil }
        return count
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
