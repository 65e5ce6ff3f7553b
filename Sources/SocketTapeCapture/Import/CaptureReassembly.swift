/// The first half of the capture pipeline: captured packets in, the TCP stream events of the
/// selected connections out (packet decoding, the port filter, TCP reassembly). Pure.
///
/// ``CapturePipeline`` runs it and the session decoder on one thread; ``CaptureFileImport`` runs
/// them on two.
public struct CaptureReassembly: Sendable {
    private let linkType: LinkType
    /// Only segments to or from these ports are decoded; all TCP when empty.
    private let ports: Set<UInt16>
    private var reassembler: TCPReassembler
    /// The packet counts (``CaptureSummary/decoding`` is the session decoder's).
    public private(set) var counts = CaptureSummary()
    /// The first packet's time: the tape's offset 0 when it has no other start.
    public private(set) var firstWallMicros: Int64?
    private var lastWallMicros: Int64 = 0

    /// - Parameter ports: the server ports to decode (`--port`); they also tell client from server
    ///   when a connection's start was not captured. Empty: every TCP connection.
    public init(linkType: LinkType, ports: Set<UInt16>, limits: TCPReassemblyLimits = .init()) {
        self.linkType = linkType
        self.ports = ports
        self.reassembler = TCPReassembler(serverPorts: ports, limits: limits)
    }

    /// Decodes one packet and appends the events its segment causes.
    public mutating func process(_ packet: CapturedPacket, into events: inout [TCPStreamEvent]) {
        counts.packets += 1
        if firstWallMicros == nil { firstWallMicros = packet.wallMicros }
        lastWallMicros = max(lastWallMicros, packet.wallMicros)
        let segment: TCPSegment
        do {
            segment = try PacketDecoder.decode(packet, linkType: linkType)
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
    }

    /// The capture ended: connections still open are finished.
    public mutating func finish(into events: inout [TCPStreamEvent]) {
        reassembler.finish(wallMicros: lastWallMicros, into: &events)
    }
}
