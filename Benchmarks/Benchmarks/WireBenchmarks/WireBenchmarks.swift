import Benchmark
import CompressNIO
import NIOCore
import SocketTapeWire

/// Frames per second, computed from the measured work of one iteration (the built-in
/// `throughput` metric counts iterations, each of which parses a whole buffer of frames).
let framesPerSecond = BenchmarkMetric.custom("frames/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal, framesPerSecond],
        maxDuration: .seconds(2),
        maxIterations: 100
    )

    Benchmark(
        "Parse 10k masked 64 B text frames",
        closure: { benchmark, input in
            parseAll(input, deflate: nil, benchmark: benchmark)
        },
        setup: { FrameInput.masked(count: 10_000, payloadSize: 64, opcode: .text) }
    )

    Benchmark(
        "Parse 1k masked 16 KiB binary frames",
        closure: { benchmark, input in
            parseAll(input, deflate: nil, benchmark: benchmark)
        },
        setup: { FrameInput.masked(count: 1_000, payloadSize: 16 * 1024, opcode: .binary) }
    )

    Benchmark(
        "Parse 10k masked 64 B text frames, permessage-deflate",
        closure: { benchmark, input in
            parseAll(input, deflate: PerMessageDeflateParameters(), benchmark: benchmark)
        },
        setup: { try FrameInput.deflated(count: 10_000, payloadSize: 64) }
    )

    Benchmark(
        "Decode 100k Socket.IO messages (session decoder)",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal, packetsPerSecond]),
        closure: { benchmark, input in
            decodeSession(input, benchmark: benchmark)
        },
        setup: { SocketIOInput.chat(count: 100_000) }
    )
}

/// A buffer of client frames, as they would arrive from one socket.
struct FrameInput: Sendable {
    var bytes: ByteBuffer
    var frames: Int

    /// `count` masked frames of `payloadSize` bytes each: text payloads are JSON-like ASCII that
    /// differs from message to message; binary payloads are pseudo-random bytes.
    static func masked(count: Int, payloadSize: Int, opcode: WebSocketOpcode) -> FrameInput {
        var bytes = ByteBufferAllocator().buffer(capacity: count * (payloadSize + 14))
        var random = SplitMix64(seed: 42)
        for index in 0..<count {
            let payload =
                opcode == .text
                ? textPayload(index, size: payloadSize)
                : ByteBuffer(bytes: (0..<payloadSize).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            var frame = WebSocketFrameEncoder.encode(
                opcode: opcode.rawValue,
                payload: payload,
                maskingKey: UInt32(truncatingIfNeeded: random.next())
            )
            bytes.writeBuffer(&frame)
        }
        return FrameInput(bytes: bytes, frames: count)
    }

    /// `count` masked text messages of `payloadSize` bytes, each compressed by one raw DEFLATE
    /// stream with context takeover (the RFC 7692 defaults), sync-flushed per message with the
    /// `00 00 FF FF` tail removed (§7.2.1), sent as one frame with RSV1 set.
    static func deflated(count: Int, payloadSize: Int) throws -> FrameInput {
        let compressor = try ZlibCompressor(algorithm: .deflate, configuration: .init(windowSize: 15))
        var random = SplitMix64(seed: 7)
        var bytes = ByteBufferAllocator().buffer(capacity: count * (payloadSize + 14))
        var compressed = ByteBufferAllocator().buffer(capacity: 4 * payloadSize + 64)
        for index in 0..<count {
            var payload = textPayload(index, size: payloadSize)
            compressed.clear()
            try compressor.deflate(from: &payload, to: &compressed, flush: .sync)
            precondition(payload.readableBytes == 0, "the compressor's output buffer was too small")
            let tail = compressed.getInteger(at: compressed.writerIndex - 4, as: UInt32.self)
            precondition(tail == 0x0000_FFFF, "a sync flush ends with 00 00 FF FF")
            compressed.moveWriterIndex(to: compressed.writerIndex - 4)
            var frame = WebSocketFrameEncoder.encode(
                opcode: WebSocketOpcode.text.rawValue,
                payload: compressed,
                rsv: 0b100,
                maskingKey: UInt32(truncatingIfNeeded: random.next())
            )
            bytes.writeBuffer(&frame)
        }
        return FrameInput(bytes: bytes, frames: count)
    }

    /// A JSON-like ASCII message of exactly `size` bytes that changes with `index`.
    static func textPayload(_ index: Int, size: Int) -> ByteBuffer {
        var text = #"{"type":"tick","seq":\#(index),"price":\#(100 + index % 997).25,"pad":""#
        let room = size - text.utf8.count - 2
        text += String(repeating: "x", count: max(room, 0)) + #""}"#
        var buffer = ByteBuffer(string: text)
        buffer.moveWriterIndex(to: min(size, buffer.writerIndex))
        return buffer
    }
}

/// Parses every frame of `input` with a new client-side parser, as a proxy would for one
/// connection that received the whole buffer in one read.
@inline(never)
func parseAll(_ input: FrameInput, deflate: PerMessageDeflateParameters?, benchmark: Benchmark) {
    let clock = ContinuousClock()
    let start = clock.now
    var parser = WebSocketStreamParser(sender: .client, deflate: deflate)
    parser.append(input.bytes)
    var frames = 0
    do {
        while let frame = try parser.nextFrame() {
            blackHole(frame)
            frames += 1
        }
    } catch {
        fatalError("the benchmark input does not parse: \(error)")
    }
    precondition(frames == input.frames && parser.bufferedByteCount == 0, "parsed \(frames) of \(input.frames) frames")
    let elapsed = start.duration(to: clock.now)
    benchmark.measurement(framesPerSecond, rate(frames, elapsed))
}

/// Items per second for `count` items done in `elapsed`.
func rate(_ count: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return seconds > 0 ? Int((Double(count) / seconds).rounded()) : 0
}

/// A small deterministic generator (SplitMix64), so every run parses the same bytes.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
