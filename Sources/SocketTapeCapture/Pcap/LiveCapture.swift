#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import Dispatch
import NIOCore
import SocketTapeWire

/// Captures packets from a network interface with libpcap, on a thread of its own.
///
/// Opening activates the capture (snap length, kernel buffer size, read timeout) and installs
/// the filter, so every error about the interface, permissions or the filter comes from the
/// initialiser. ``start(onPacket:onEnd:)`` then delivers packets on a dedicated thread until
/// ``stop()`` or a capture failure. Packets the kernel buffer cannot hold are dropped by the
/// kernel and counted in ``statistics()``.
///
/// ```swift
/// let capture = try LiveCapture(.init(interface: "eth0", filter: .tcpPorts([3000])))
/// for warning in capture.warnings { print(warning) }
/// try capture.start(onPacket: { packet in … }, onEnd: { error in … })
/// …
/// capture.stop()
/// print(try capture.statistics())
/// ```
public final class LiveCapture: @unchecked Sendable {
    // @unchecked: the pcap handle is read from by the capture thread only; pcap_breakloop is
    // documented as safe from other threads; the thread state and pcap_stats are serialised by `lock`.

    /// How a capture opens.
    public struct Configuration: Sendable, Equatable {
        /// The interface to capture on (`eth0`, `lo`, `any` on Linux).
        public var interface: String
        /// Which packets to keep; `nil` keeps every packet.
        public var filter: CaptureFilter?
        /// Bytes kept of each packet (libpcap's snap length).
        public var snapLength: Int32
        /// The kernel buffer that holds packets until the capture thread reads them, in bytes.
        public var bufferSize: Int32

        public init(
            interface: String, filter: CaptureFilter?, snapLength: Int32 = 262_144, bufferSize: Int32 = 32 << 20
        ) {
            self.interface = interface
            self.filter = filter
            self.snapLength = snapLength
            self.bufferSize = bufferSize
        }
    }

    /// How this capture was opened.
    public let configuration: Configuration
    /// The link type of the interface's packets.
    public let linkType: LinkType
    /// What `pcap_activate` warned about (the capture works, possibly not as asked), one line each.
    public let warnings: [String]

    private let handle: OpaquePointer
    private let lock = DispatchSemaphore(value: 1)
    /// Signalled by the capture thread when it has delivered its last packet (and kept signalled).
    private let ended = DispatchSemaphore(value: 0)
    private var started = false
    /// The capture thread, once it runs: ``stop()`` called there must not wait for itself.
    private var captureThread: pthread_t?
    /// Whether packets the kernel already holds are delivered after a stop.
    private var drainsAfterStop = true

    /// How long libpcap may wait for packets before the capture thread looks again; bounds how
    /// long ``stop()`` takes where `pcap_breakloop` does not wake a blocked read (Linux wakes it).
    private static let readTimeoutMilliseconds: Int32 = 100

    /// Opens and activates a capture on `configuration.interface` and installs its filter.
    ///
    /// - Throws: ``LiveCaptureError`` with ``LiveCaptureError/Code/noSuchInterface``,
    ///   ``LiveCaptureError/Code/permissionDenied`` (needs root or CAP_NET_RAW),
    ///   ``LiveCaptureError/Code/interfaceDown``, ``LiveCaptureError/Code/badFilter`` (libpcap's
    ///   message and the filter text) or ``LiveCaptureError/Code/openFailed``.
    public init(_ configuration: Configuration) throws(LiveCaptureError) {
        let interface = configuration.interface
        var errorBuffer = LibpcapErrorBuffer()
        guard let handle = errorBuffer.withPointer({ pcap_create(interface, $0) }) else {
            throw LiveCaptureError(.openFailed, interface: interface, "cannot capture on \(interface): \(errorBuffer.message)")
        }
        do throws(LiveCaptureError) {
            pcap_set_snaplen(handle, configuration.snapLength)
            // Not immediate mode: on Linux that rings one slot per packet sized for the largest
            // packet (64 KiB on lo), a few hundred packets in 32 MiB, and small packets at a high
            // rate overflow it (measured: a third dropped). Packed blocks hold them all; packets
            // then wait up to the read timeout, which recording does not mind.
            pcap_set_buffer_size(handle, configuration.bufferSize)
            pcap_set_timeout(handle, Self.readTimeoutMilliseconds)
            let status = pcap_activate(handle)
            if status < 0 { throw Self.activationError(status, handle: handle, interface: interface) }
            warnings = status > 0 ? ["\(interface): \(Self.statusText(status, handle: handle))"] : []
            if let filter = configuration.filter { try Self.install(filter, on: handle, interface: interface) }
        } catch {
            pcap_close(handle)
            throw error
        }
        self.handle = handle
        self.configuration = configuration
        self.linkType = LinkType(rawValue: pcap_datalink(handle))
    }

    deinit {
        pcap_close(handle)
    }

    /// Starts delivering packets on a new thread. Call it once.
    ///
    /// - Parameters:
    ///   - onPacket: called on the capture thread for each packet, in capture order; the next
    ///     packet waits until it returns, while the kernel buffer fills.
    ///   - onEnd: called once on the capture thread after the last packet: with `nil` after
    ///     ``stop()``, with a ``LiveCaptureError/Code/captureFailed`` error when reading failed.
    /// - Throws: ``LiveCaptureError/Code/openFailed`` when the thread cannot be started.
    public func start(
        onPacket: @escaping @Sendable (CapturedPacket) -> Void,
        onEnd: @escaping @Sendable (LiveCaptureError?) -> Void
    ) throws(LiveCaptureError) {
        withLock {
            precondition(!started, "a live capture starts once")
            started = true
        }
        let failure = DetachedThread.start { [self] in
            withLock { captureThread = pthread_self() }
            let error = readPackets(onPacket)
            ended.signal()
            onEnd(error)
        }
        if let failure {
            ended.signal()
            throw LiveCaptureError(
                .openFailed, interface: configuration.interface,
                "cannot start the capture thread for \(configuration.interface): \(String(cString: strerror(failure)))"
            )
        }
    }

    /// Stops the capture: the packets the kernel already holds are delivered (unless it is called
    /// from the packet callback), and once it returns, no packet is delivered any more (`onEnd` of
    /// ``start(onPacket:onEnd:)`` may still be running). Called from `onPacket`, it returns at
    /// once and the capture thread stops after that packet. Calling it again is harmless; a
    /// capture stopped before it starts ends as soon as it starts.
    public func stop() {
        let thread: (started: Bool, id: pthread_t?) = withLock {
            // Stopped from the callback, the caller wants no more packets: nothing is drained.
            if let id = captureThread, pthread_equal(id, pthread_self()) != 0 { drainsAfterStop = false }
            return (started, captureThread)
        }
        pcap_breakloop(handle)
        guard thread.started else { return }
        if let id = thread.id, pthread_equal(id, pthread_self()) != 0 { return }
        ended.wait()
        ended.signal()
    }

    /// libpcap's counters since the capture opened (readable before, during and after capturing).
    ///
    /// - Throws: ``LiveCaptureError/Code/captureFailed`` when libpcap cannot read them.
    public func statistics() throws(LiveCaptureError) -> CaptureStatistics {
        var stats = pcap_stat()
        let result = withLock { pcap_stats(handle, &stats) }
        guard result == 0 else {
            throw LiveCaptureError(
                .captureFailed, interface: configuration.interface,
                "cannot read capture statistics of \(configuration.interface): \(String(cString: pcap_geterr(handle)))"
            )
        }
        return CaptureStatistics(received: stats.ps_recv, droppedByKernel: stats.ps_drop, droppedByInterface: stats.ps_ifdrop)
    }

    /// The capture thread's loop: returns `nil` when stopped, the error when reading failed.
    private func readPackets(_ onPacket: (CapturedPacket) -> Void) -> LiveCaptureError? {
        let allocator = ByteBufferAllocator()
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while true {
            switch pcap_next_ex(handle, &header, &data) {
            case 1:
                guard let header, let data else { continue }
                onPacket(CapturedPacket(header: header.pointee, data: data, allocator: allocator))
            case 0:
                continue  // the read timeout passed without a packet
            case PCAP_ERROR_BREAK:
                if withLock({ drainsAfterStop }) { drainBuffered(onPacket) }
                return nil
            default:
                return LiveCaptureError(
                    .captureFailed, interface: configuration.interface,
                    "capture on \(configuration.interface) failed: \(String(cString: pcap_geterr(handle)))"
                )
            }
        }
    }

    /// After ``stop()``: delivers the packets the kernel had already captured, so the last
    /// moments before a Ctrl-C are not lost, without waiting for more.
    private func drainBuffered(_ onPacket: (CapturedPacket) -> Void) {
        var errorBuffer = LibpcapErrorBuffer()
        guard errorBuffer.withPointer({ pcap_setnonblock(handle, 1, $0) }) == 0 else { return }
        let allocator = ByteBufferAllocator()
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        // The kernel hands over a partly filled block once the read timeout passes: read until
        // nothing has come for longer than that.
        let quiet = UInt64(Self.readTimeoutMilliseconds) * 2_500_000
        var lastPacket = DispatchTime.now().uptimeNanoseconds
        while DispatchTime.now().uptimeNanoseconds - lastPacket < quiet {
            guard pcap_next_ex(handle, &header, &data) == 1, let header, let data else {
                usleep(5_000)
                continue
            }
            onPacket(CapturedPacket(header: header.pointee, data: data, allocator: allocator))
            lastPacket = DispatchTime.now().uptimeNanoseconds
        }
    }

    private func withLock<Result>(_ body: () -> Result) -> Result {
        lock.wait()
        defer { lock.signal() }
        return body()
    }

    private static func install(_ filter: CaptureFilter, on handle: OpaquePointer, interface: String) throws(LiveCaptureError) {
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter.expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw LiveCaptureError(
                .badFilter, interface: interface,
                "bad capture filter '\(filter.expression)': \(String(cString: pcap_geterr(handle)))"
            )
        }
        defer { pcap_freecode(&program) }
        guard pcap_setfilter(handle, &program) == 0 else {
            throw LiveCaptureError(
                .badFilter, interface: interface,
                "cannot install capture filter '\(filter.expression)' on \(interface): \(String(cString: pcap_geterr(handle)))"
            )
        }
    }

    private static func activationError(_ status: Int32, handle: OpaquePointer, interface: String) -> LiveCaptureError {
        let detail = statusText(status, handle: handle)
        switch status {
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return LiveCaptureError(.noSuchInterface, interface: interface, "no such interface: \(interface) (\(detail))")
        case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
            return LiveCaptureError(
                .permissionDenied, interface: interface,
                "no permission to capture on \(interface): run as root or give the program CAP_NET_RAW (\(detail))"
            )
        case PCAP_ERROR_IFACE_NOT_UP:
            return LiveCaptureError(.interfaceDown, interface: interface, "interface \(interface) is not up (\(detail))")
        default:
            return LiveCaptureError(.openFailed, interface: interface, "cannot capture on \(interface): \(detail)")
        }
    }

    /// libpcap's name for `status` and, when it left one, its message.
    private static func statusText(_ status: Int32, handle: OpaquePointer) -> String {
        let name = String(cString: pcap_statustostr(status))
        let message = String(cString: pcap_geterr(handle))
        return message.isEmpty ? name : "\(name): \(message)"
    }
}
