import NIOCore
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire

/// Messages as a session's server would send them, decoded the way a replay decodes them.
enum Fixtures {
    /// One message a server sends: text or binary.
    enum Sent {
        case text(String)
        case binary([UInt8])
    }

    /// The server messages of one session, decoded in order (Engine.IO v4 when `engineIO`).
    static func decode(_ sent: [Sent], engineIO: EngineIOVersion? = nil) -> [ObservedMessage] {
        var decoder = ObservedMessageDecoder(engineIO: engineIO)
        return sent.compactMap { message in
            switch message {
            case .text(let text): decoder.decode(opcode: .text, payload: ByteBuffer(string: text), transport: .websocket)
            case .binary(let bytes): decoder.decode(opcode: .binary, payload: ByteBuffer(bytes: bytes), transport: .websocket)
            }
        }
    }

    /// Text messages of a Socket.io session (Engine.IO v4), such as `42["chat","hi"]`.
    static func socketIO(_ texts: String...) -> [ObservedMessage] {
        decode(texts.map(Sent.text), engineIO: .v4)
    }

    /// Text messages of a plain WebSocket session.
    static func plain(_ texts: String...) -> [ObservedMessage] {
        decode(texts.map(Sent.text))
    }

    /// The one message of `messages`.
    static func only(_ messages: [ObservedMessage]) -> ObservedMessage {
        precondition(messages.count == 1, "expected one message, got \(messages.count)")
        return messages[0]
    }

    /// The differences between two single messages, as their one-line summaries.
    static func summaries(
        _ expected: [ObservedMessage], _ actual: [ObservedMessage], rules: ComparisonRules = ComparisonRules(),
        identifiers: IdentifierMap = IdentifierMap()
    ) -> [String] {
        rules.compare(expected: only(expected), actual: only(actual), identifiers: identifiers).differences.map(\.summary)
    }

    /// An Engine.IO v4 handshake with this sid.
    static func handshake(_ sid: String) -> String {
        #"0{"sid":"\#(sid)","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
    }

    /// Ignore rules that must parse.
    static func ignoring(_ rules: String...) throws -> ComparisonRules {
        ComparisonRules(ignore: try rules.map { try IgnoreRule(parsing: $0) })
    }
}
