import Benchmark
import NIOCore
import SocketTapeWire

/// Socket.IO packets per second, computed from the measured work of one iteration.
let packetsPerSecond = BenchmarkMetric.custom("packets/s", polarity: .prefersLarger, useScalingFactor: false)

/// A session's WebSocket text messages, as the proxy hands them to the session decoder: events
/// from the client, acks and pings from the server, in the proportions of a chat.
struct SocketIOInput: Sendable {
    var messages: [(sender: WebSocketRole, payload: ByteBuffer)]

    static func chat(count: Int) -> SocketIOInput {
        let event = ByteBuffer(string: #"42["chat",{"roomId":"r1","text":"hello world"}]"#)
        let ack = ByteBuffer(string: #"431["ok"]"#)
        let ping = ByteBuffer(string: "2")
        let messages = (0..<count).map { index -> (sender: WebSocketRole, payload: ByteBuffer) in
            switch index % 4 {
            case 0, 1: (.client, event)
            case 2: (.server, ack)
            default: (.server, ping)
            }
        }
        return SocketIOInput(messages: messages)
    }
}

/// Decodes every message with a new session decoder (Engine.IO v4, Socket.IO v5).
@inline(never)
func decodeSession(_ input: SocketIOInput, benchmark: Benchmark) {
    let clock = ContinuousClock()
    let start = clock.now
    var decoder = SocketIOSessionDecoder(engineIO: .v4)
    var failures = 0
    for message in input.messages {
        let outcome = decoder.decode(from: message.sender, transport: .websocket, opcode: .text, payload: message.payload)
        if outcome.error != nil || outcome.engineIO == nil { failures += 1 }
        blackHole(outcome)
    }
    precondition(failures == 0, "\(failures) messages did not decode")
    benchmark.measurement(packetsPerSecond, rate(input.messages.count, start.duration(to: clock.now)))
}
