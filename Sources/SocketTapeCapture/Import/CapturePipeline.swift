import SocketTapeTape

/// Captured packets in, tape records out: packet decoding, TCP reassembly and session decoding,
/// the same for a file (`import --format pcap`) and a live interface (`capture`).
///
/// Pure apart from the clock of the first packet: feed packets in capture order with
/// ``process(_:)``, call ``finish()`` at the end, and take records with ``takeRecords()`` as you go.
public struct CapturePipeline {
    private let linkType: LinkType
    /// Only segments to or from these ports are decoded; all TCP when empty.
    private let ports: Set<UInt16>
    private let options: CaptureDecoderOptions
    /// The tape's offset 0 when it is not the first packet's time.
    private let fixedStart: Int64?
    private var reassembler: TCPReassembler
    /// Created at the first packet, whose time is the tape's offset 0.
    private var decoder: CaptureDecoder?
    private var events: [TCPStreamEvent] = []
    private var lastWallMicros: Int64 = 0
    /// The packet counts; the decoder keeps its own.
    private var counts = CaptureSummary()

    /// What was read, decoded and skipped so far.
    public var summary: CaptureSummary {
        var summary = counts
        summary.decoding = decoder?.statistics ?? CaptureDecodingStatistics()
        return summary
    }

    /// - Parameters:
    ///   - ports: the server ports to decode (`--port`); they also tell client from server when a
    ///     connection's start was not captured. Empty: every TCP connection.
    ///   - startWallMicros: the tape's offset 0 (a live capture's tape starts when it opens);
    ///     `nil`: the first packet's time (a file).
    public init(
        linkType: LinkType, ports: Set<UInt16>, options: CaptureDecoderOptions, startWallMicros: Int64? = nil,
        limits: TCPReassemblyLimits = .init()
    ) {
        self.linkType = linkType
        self.fixedStart = startWallMicros
        self.ports = ports
        self.options = options
        self.reassembler = TCPReassembler(serverPorts: ports, limits: limits)
    }

    /// Decodes one packet.
    public mutating func process(_ packet: CapturedPacket) {
        counts.packets += 1
        if decoder == nil {
            decoder = CaptureDecoder(options: options, startWallMicros: fixedStart ?? packet.wallMicros)
        }
        lastWallMicros = max(lastWallMicros, packet.wallMicros)
        let segment: TCPSegment
        do {
            segment = try PacketDecoder.decode(packet.bytes, linkType: linkType, wireLength: packet.wireLength, wallMicros: packet.wallMicros)
        } catch {
            counts.skipped[error.description, default: 0] += 1
            return
        }
        guard ports.isEmpty || ports.contains(segment.source.port) || ports.contains(segment.destination.port) else {
            counts.otherPorts += 1
            return
        }
        counts.segments += 1
        reassembler.process(segment, into: &events)
        decodeEvents()
    }

    /// The capture ended: connections still open are finished.
    public mutating func finish() {
        reassembler.finish(wallMicros: lastWallMicros, into: &events)
        decodeEvents()
    }

    /// The records made since the last call.
    public mutating func takeRecords() -> [TapeRecord] {
        decoder?.takeRecords() ?? []
    }

    private mutating func decodeEvents() {
        guard !events.isEmpty else { return }
        for event in events { decoder?.process(event) }
        events.removeAll(keepingCapacity: true)
    }
}
