import ArgumentParser
import NIOConcurrencyHelpers
import NIOCore
import SocketTapeCapture
import SocketTapeTape

/// `sockettape capture`: record from a network interface with libpcap, no proxy inline.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Record WebSocket and Socket.io traffic from a network interface (passive, libpcap), without a proxy inline.",
        discussion: """
            Decodes exactly as `import --format pcap` does and writes the tape as it goes. Stops on \
            SIGINT or SIGTERM with the tape sealed, and reports the packets the kernel dropped \
            (exit 1 when it dropped any). Needs root or CAP_NET_RAW.
            """
    )

    @Option(help: "The interface to capture on (lo, eth0; any for all on Linux).")
    var interface: String

    @Option(help: "A server port to capture (repeatable): the filter is `tcp port N or …`.")
    var port: [UInt16] = []

    @Option(help: "A BPF filter expression instead of --port (tcpdump syntax); every TCP connection it keeps is decoded.")
    var filter: String?

    @Option(name: .shortAndLong, help: "The tape to write.")
    var output: String

    @Option(help: "The kernel buffer for packets not yet read, e.g. 32MiB.")
    var bufferSize: ByteCount = ByteCount(32 << 20)

    @Option(help: "Write queued records at least this often, in milliseconds.")
    var flushInterval: Int = 100

    @OptionGroup(title: "Recording")
    var recording: RecordingArguments

    func validate() throws {
        guard port.isEmpty != (filter == nil) else { throw ValidationError("give --port or --filter (one of them)") }
        guard flushInterval > 0 else { throw ValidationError("--flush-interval must be a positive number of milliseconds") }
        guard bufferSize.bytes <= Int(Int32.max) else { throw ValidationError("--buffer-size must be under 2 GiB") }
    }

    func run() async throws {
        let shutdown = ShutdownSignal.install()
        let capture: LiveCapture
        do {
            capture = try LiveCapture(.init(
                interface: interface, filter: filter.map(CaptureFilter.init(expression:)) ?? .tcpPorts(port),
                bufferSize: Int32(bufferSize.bytes)
            ))
        } catch {
            throw ValidationError("\(error)")
        }
        for warning in capture.warnings { StandardError.write("sockettape: \(interface): \(warning)") }
        let writer: TapeWriter
        do {
            writer = try TapeWriter(path: output, options: TapeWriterOptions(flushInterval: .milliseconds(Int64(flushInterval))))
        } catch {
            throw ValidationError("-o \(output): \(error)")
        }
        let decoding = LiveDecoding(pipeline: CapturePipeline(
            linkType: capture.linkType, ports: Set(port), options: recording.captureOptions,
            startWallMicros: writer.clock.startWallMicros
        ), writer: writer)
        let end = CaptureEnd()
        try capture.start(onPacket: decoding.process, onEnd: end.finish)
        StandardError.write("capturing on \(interface) (\(filter ?? CaptureFilter.tcpPorts(port).expression)) into \(output); Ctrl-C stops")
        Task { await shutdown.wait(); end.finish(nil) }
        let failure = await end.wait()
        capture.stop()
        decoding.finish()
        try writer.close()
        let statistics = try? capture.statistics()
        print("captured \(decoding.summary.packets) packet(s) into \(output)")
        for line in decoding.summary.lines { print("  " + line) }
        if let failure { throw ValidationError("\(failure)") }
        if let statistics {
            print("  kernel: \(statistics.received) received, \(statistics.droppedByKernel) dropped, \(statistics.droppedByInterface) dropped by the interface")
            if statistics.droppedByKernel + statistics.droppedByInterface > 0 {
                StandardError.write("sockettape: packets were dropped before SocketTape saw them: the tape has holes (try a larger --buffer-size)")
                throw ExitCode(1)
            }
        }
    }
}

/// The live pipeline: fed on the capture thread only; read after the capture stopped.
private final class LiveDecoding: @unchecked Sendable {
    private var pipeline: CapturePipeline
    private let writer: TapeWriter

    init(pipeline: CapturePipeline, writer: TapeWriter) {
        self.pipeline = pipeline
        self.writer = writer
    }

    var summary: CaptureSummary { pipeline.summary }

    func process(_ packet: CapturedPacket) {
        pipeline.process(packet)
        let records = pipeline.takeRecords()
        if !records.isEmpty { writer.append(contentsOf: records) }
    }

    func finish() {
        pipeline.finish()
        writer.append(contentsOf: pipeline.takeRecords())
    }
}

/// The first of: a signal, or the capture ending on its own (an error).
private final class CaptureEnd: Sendable {
    private let state = NIOLockedValueBox<(ended: Bool, failure: LiveCaptureError?, waiter: CheckedContinuation<LiveCaptureError?, Never>?)>((false, nil, nil))

    func finish(_ failure: LiveCaptureError?) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<LiveCaptureError?, Never>? in
            guard !state.ended else { return nil }
            state.ended = true
            state.failure = failure
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: failure)
    }

    func wait() async -> LiveCaptureError? {
        await withCheckedContinuation { continuation in
            let result = state.withLockedValue { state -> LiveCaptureError?? in
                guard state.ended else {
                    state.waiter = continuation
                    return nil
                }
                return .some(state.failure)
            }
            if let result { continuation.resume(returning: result) }
        }
    }
}
