import ArgumentParser
import Logging
import NIOCore
import SocketTapePolicy
import SocketTapeProxy
import SocketTapeTape
import SocketTapeWire

/// `sockettape proxy`: relay clients to an upstream and record every frame.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Relay WebSocket and HTTP clients to an upstream server, recording what crosses.",
        discussion: """
            Clients connect to --listen as they would to the upstream. On SIGINT or SIGTERM the proxy \
            stops accepting, lets open sessions end for --drain-timeout seconds, closes the rest with \
            1001, and seals the tape.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String

    @Option(help: "Upstream server URL: ws://, wss://, http:// or https:// HOST:PORT.")
    var upstream: String

    @Option(help: "Record to this tape file.")
    var record: String?

    @Option(help: "How often the tape is written to the OS, in milliseconds (what a crash can lose).")
    var flushInterval: Int = 100

    @Flag(help: "fsync the tape at every flush (survives power loss, costs throughput).")
    var fsync = false

    @Option(help: "Rotate the tape when a segment reaches this size (bytes; K, M, G suffixes).")
    var maxTapeSize: ByteCount?

    @Option(help: "Most bytes of records waiting in memory for the tape writer, 2M to 1G; past it records are dropped and a gap record says so.")
    var tapeQueue: ByteCount = ByteCount(64 << 20)

    @Option(help: "When the disk falls behind (4 MiB wait, or half of --tape-queue if less): slow (stop reading the sockets until it catches up; traffic slows to the disk's pace) or drop (relay at full pace; records that overflow --tape-queue are dropped and a gap record says so).")
    var whenTapeBehind: TapeWriterBackpressure = .slowProducers

    @Option(help: "Largest WebSocket frame payload accepted (bytes; K, M, G suffixes); larger closes with 1009.")
    var maxFrameSize: ByteCount = ByteCount(16 << 20)

    @Option(help: "Largest WebSocket message, after reassembly and inflation (bytes); larger closes with 1009.")
    var maxMessageSize: ByteCount = ByteCount(64 << 20)

    @Option(help: "Largest total size of one request's header names and values (bytes); larger gets 431.")
    var maxHeaderSize: ByteCount = ByteCount(16 << 10)

    @Option(help: "Seconds a new connection may take to send its request, and the upstream to answer a handshake.")
    var handshakeTimeout: Double = 10

    @Option(help: "Seconds without traffic after which a connection is closed (WebSocket: 1001).")
    var idleTimeout: Double = 600

    @Option(help: "Seconds open sessions get to end by themselves at shutdown before they are closed with 1001.")
    var drainTimeout: Double = 5

    @Option(help: "Seconds connecting to the upstream may take (502 beyond).")
    var connectTimeout: Double = 5

    @OptionGroup(title: "Recording")
    var recording: RecordingArguments

    @Option(help: "PEM certificate chain for a TLS listener (with --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for a TLS listener (with --tls-cert).")
    var tlsKey: String?

    @Option(help: "PEM file of CA certificates to trust for a wss:// or https:// upstream.")
    var upstreamCa: String?

    @Option(help: "Rate limits, validation and handshake checks (YAML; see `sockettape check-config`).")
    var config: String?

    @Option(help: "Serve Prometheus /metrics and /healthz on HOST:PORT (port 0 picks one).")
    var admin: String?

    @Option(help: "Event loop threads (default: one fewer than the cores, at least one).")
    var threads: Int = max(1, System.coreCount - 1)

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard flushInterval > 0 else { throw ValidationError("--flush-interval must be a positive number of milliseconds") }
        for (flag, value) in [("--handshake-timeout", handshakeTimeout), ("--idle-timeout", idleTimeout),
                              ("--drain-timeout", drainTimeout), ("--connect-timeout", connectTimeout)] where !(value >= 0) {
            throw ValidationError("\(flag) must be a number of seconds, 0 or more")
        }
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
        let queueLimits = TapeWriterOptions.queueLimits
        guard queueLimits.contains(tapeQueue.bytes) else {
            throw ValidationError(
                "--tape-queue must be from \(ByteCount(queueLimits.lowerBound)) to \(ByteCount(queueLimits.upperBound)), not \(tapeQueue)")
        }
    }

    func run() async throws {
        let configuration = try await makeConfiguration()
        let shutdown = ShutdownSignal.install()
        let writer = try record.map { path in
            do {
                return try TapeWriter(path: path, options: TapeWriterOptions(
                    flushInterval: .milliseconds(Int64(flushInterval)),
                    fsync: fsync ? .onFlush : .never,
                    maxSegmentBytes: maxTapeSize.map { Int64($0.bytes) },
                    maxQueuedBytes: tapeQueue.bytes,
                    backpressure: whenTapeBehind
                ))
            } catch {
                throw ValidationError("--record \(path): \(error)")
            }
        }
        let server: ProxyServer
        do {
            server = try await ProxyServer.start(configuration: configuration, writer: writer)
        } catch {
            try? writer?.close()
            throw ValidationError("\(error)")
        }
        print("listening on \(server.localAddress)")
        if let adminAddress = server.adminAddress {
            print("admin listening on \(adminAddress)")
        }
        StandardOutput.flush()
        await shutdown.wait()
        await server.shutdown()
        try writer?.close()
        if let statistics = writer?.statistics {
            report(statistics)
        }
    }

    /// Tells the operator what recording cost the traffic, and what it could not keep.
    private func report(_ statistics: TapeWriterStatistics) {
        if statistics.timesBehind > 0 {
            let seconds = TextFormat.fixed(Double(statistics.nanosecondsBehind) / 1e9, 3)
            StandardError.write("sockettape: the tape writer fell behind \(statistics.timesBehind) time(s); reading paused for \(seconds) s in all")
        }
        if statistics.recordsDropped > 0 {
            StandardError.write("sockettape: \(statistics.recordsDropped) record(s) could not be written; the tape marks the gap")
        }
    }

    private func makeConfiguration() async throws -> ProxyConfiguration {
        let listenAddress: HostAndPort
        let upstreamEndpoint: UpstreamEndpoint
        do {
            listenAddress = try HostAndPort(parsing: listen)
        } catch {
            throw ValidationError("--listen: \(error.description)")
        }
        do {
            upstreamEndpoint = try UpstreamEndpoint(parsing: upstream)
        } catch {
            throw ValidationError("--upstream: \(error.description)")
        }
        var adminAddress: HostAndPort?
        if let admin {
            do {
                adminAddress = try HostAndPort(parsing: admin)
            } catch {
                throw ValidationError("--admin: \(error.description)")
            }
        }
        var policy = PolicyConfiguration.none
        if let config {
            do {
                policy = try await PolicyConfiguration.load(path: config)
            } catch {
                throw ValidationError("--config: \(error.description)")
            }
        }
        return ProxyConfiguration(
            listen: listenAddress,
            upstream: upstreamEndpoint,
            tlsListener: tlsCert.map { TLSListenerFiles(certificateChain: $0, privateKey: tlsKey ?? "") },
            upstreamCAFile: upstreamCa,
            webSocketLimits: WebSocketLimits(maxFrameSize: UInt64(maxFrameSize.bytes), maxMessageSize: UInt64(maxMessageSize.bytes)),
            handshakeTimeout: .seconds(handshakeTimeout),
            idleTimeout: .seconds(idleTimeout),
            drainTimeout: .seconds(drainTimeout),
            maxHeaderBytes: maxHeaderSize.bytes,
            connectTimeout: .seconds(connectTimeout),
            redaction: recording.headerRedaction,
            redactsSocketIOAuth: recording.redactsSocketIOAuth,
            socketIO: recording.socketio,
            policy: policy,
            admin: adminAddress,
            threads: threads
        )
    }
}

extension TimeAmount {
    /// A whole number of nanoseconds from seconds given as a decimal.
    static func seconds(_ value: Double) -> TimeAmount {
        .nanoseconds(Int64(value * 1_000_000_000))
    }
}

