import NIOConcurrencyHelpers
import NIOCore
import SocketTapeWire

/// The values the server handed out in the recording, each with the one it hands out in the
/// replay, learned while the replay runs and put into the client messages that follow
/// (`--capture`): so a conversation that creates something and then uses it (a room, an order id,
/// a token) survives the replay.
///
/// One book for the whole run, since one session may use what the server gave another (alice
/// creates a room, bob joins it). Learned from each received server message and the recorded one
/// at the same position of its session: the Engine.IO and Socket.IO sids always, plus what the
/// capture rules name — a JSON pointer (`/args/0/roomId`, `*` wildcards) or `regex:PATTERN`
/// (its first group, or the whole match, in the messages' text).
final class CaptureBook: Sendable {
    private let pointers: [PointerPattern]
    private let patterns: [TextPattern]
    private let map = NIOLockedValueBox(IdentifierMap())

    init(rules: [IgnoreRule]) {
        pointers = rules.pointerPatterns
        patterns = rules.textPatterns
    }

    /// The ids learned so far (the comparison starts from them).
    var identifiers: IdentifierMap { map.withLockedValue { $0 } }

    /// Learns from a recorded server message and the received one at its place.
    func learn(expected: ObservedMessage, actual: ObservedMessage) {
        let pointers = self.pointers
        let captured = patterns.flatMap { pattern in
            zip(pattern.capturedValues(in: String(buffer: expected.payload)), pattern.capturedValues(in: String(buffer: actual.payload)))
        }
        map.withLockedValue { map in
            map.learn(expected: expected, actual: actual, captures: pointers)
            for (recorded, replayed) in captured { map.add(recorded: recorded, replayed: replayed) }
        }
    }

    /// A client message with the recorded values the book knows replaced by the replay's.
    func apply(to message: ReplayMessage) -> ReplayMessage {
        guard message.opcode == .text else { return message }
        let text = message.text
        let replaced = map.withLockedValue { $0.applied(toText: text) }
        return replaced == text ? message : ReplayMessage(opcode: .text, payload: ByteBuffer(string: replaced))
    }
}
