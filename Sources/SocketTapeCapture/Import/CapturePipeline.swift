import SocketTapeTape

/// Captured packets in, tape records out: packet decoding, TCP reassembly and session decoding on
/// one thread, as a live capture (`capture`) runs them.
///
/// Pure apart from the clock of the first packet: feed packets in capture order with
/// ``process(_:)``, call ``finish()`` at the end, and take records with ``takeRecords()`` as you go.
public struct CapturePipeline {
    private let options: CaptureDecoderOptions
    /// The tape's offset 0 when it is not the first packet's time.
    private let fixedStart: Int64?
    private var reassembly: CaptureReassembly
    /// Created at the first packet, whose time is the tape's offset 0.
    private var decoder: CaptureDecoder?
    private var events: [TCPStreamEvent] = []

    /// What was read, decoded and skipped so far.
    public var summary: CaptureSummary {
        var summary = reassembly.counts
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
        self.options = options
        self.fixedStart = startWallMicros
        self.reassembly = CaptureReassembly(linkType: linkType, ports: ports, limits: limits)
    }

    /// Decodes one packet.
    public mutating func process(_ packet: CapturedPacket) {
        if decoder == nil {
            decoder = CaptureDecoder(options: options, startWallMicros: fixedStart ?? packet.wallMicros)
        }
        reassembly.process(packet, into: &events)
        decodeEvents()
    }

    /// The capture ended: connections still open are finished.
    public mutating func finish() {
        reassembly.finish(into: &events)
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
