import Benchmark
import NIOCore
import SocketTapePolicy
import SocketTapeWire

/// Policy checks per second, computed from the measured work of one iteration.
let checksPerSecond = BenchmarkMetric.custom("checks/s", polarity: .prefersLarger, useScalingFactor: false)

/// The README's example (`Fixtures/policy/example.yaml`) with a bytes bucket added to its limit (two
/// buckets per message) and rates high enough that every check passes: the cost of a message that
/// is let through.
func benchmarkConfiguration() async throws -> PolicyConfiguration {
    let path = String(#filePath.split(separator: "/Benchmarks/Benchmarks/").first!) + "/Fixtures/policy/example.yaml"
    var configuration = try await PolicyConfiguration.load(path: path)
    configuration.limits[0].messages = Rate(perSecond: 1e9, burst: 1e9)
    configuration.limits[0].bytes = Rate(perSecond: 1e12, burst: 1e12)
    return configuration
}

/// 1,000 clients' handshakes (their headers) and one typical event, decoded as the proxy hands it over.
struct PolicyInput: Sendable {
    var engine: PolicyEngine
    var identity: IdentitySource
    var handshakes: [[(name: String, value: String)]]
    var message: PolicyMessage

    static func make() async throws -> PolicyInput {
        let configuration = try await benchmarkConfiguration()
        let text = #"42["message",{"roomId":"r1","text":"hello world, how are you?"}]"#
        let payload = ByteBuffer(string: text)
        let packet = SocketIOPacket(type: .event, data: try JSONValue(parsing: text.dropFirst(2)))
        let handshakes = (0..<1_000).map { index -> [(name: String, value: String)] in
            [("Host", "chat.example"), ("Upgrade", "websocket"), ("X-User", "user-\(index)")]
        }
        return PolicyInput(
            engine: PolicyEngine(configuration: configuration),
            identity: configuration.identity,
            handshakes: handshakes,
            message: PolicyMessage(from: .client, isText: true, payload: payload, socketIO: packet)
        )
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, checksPerSecond],
        maxDuration: .seconds(2),
        maxIterations: 100
    )

    Benchmark(
        "PolicyEngine.check 100k Socket.IO events (identity, 2 buckets, schema)",
        closure: { benchmark, input in
            let clock = ContinuousClock()
            let start = clock.now
            var passed = 0
            for index in 0..<100_000 {
                let headers = input.handshakes[index % input.handshakes.count]
                let identity = input.identity.key(remoteAddress: "10.0.0.1:5000", headers: headers, target: "/socket.io/?EIO=4&transport=websocket", socketIOAuth: nil)
                let verdict = input.engine.check(input.message, identity: identity ?? "10.0.0.1", now: UInt64(index) * 1_000)
                if verdict == .pass { passed += 1 }
            }
            precondition(passed == 100_000, "\(100_000 - passed) checks did not pass")
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            benchmark.measurement(checksPerSecond, Int(100_000 / seconds))
            blackHole(passed)
        },
        setup: { try await PolicyInput.make() }
    )
}
