import NIOCore

/// One tracked TCP connection: who the client is, the handshake's initial sequence numbers, and
/// its two directions.
struct TCPConnection {
    let id: TCPConnectionID
    /// Whether the client is the lower endpoint of the connection's key.
    let clientIsLower: Bool
    /// The client's initial sequence number, when its SYN (or the SYN-ACK answering it) was seen.
    private var clientISN: UInt32?
    private var serverISN: UInt32?
    private var clientToServer: TCPDirectionStream
    private var serverToClient: TCPDirectionStream
    /// When a segment of the connection was last captured.
    private(set) var lastActivityMicros: Int64

    /// Whether `segment` may start a connection: a SYN, or a segment carrying payload (the start
    /// was not captured). Pure ACKs, lone FINs and RSTs of unknown connections are ignored: they
    /// are usually the tail of a connection already forgotten.
    static func canOpen(with segment: TCPSegment) -> Bool {
        guard !segment.flags.contains(.rst) else { return false }
        return segment.flags.contains(.syn) || segment.payload.readableBytes > 0 || segment.truncatedBytes > 0
    }

    /// Starts tracking the connection `segment` opens (see `canOpen`) and emits `.opened`; the
    /// client is chosen as `TCPReassembler` documents.
    init(
        opening segment: TCPSegment, sourceIsLower: Bool, id: TCPConnectionID, serverPorts: Set<UInt16>,
        into events: inout [TCPStreamEvent]
    ) {
        self.id = id
        lastActivityMicros = segment.wallMicros
        clientToServer = TCPDirectionStream(id: id, direction: .clientToServer)
        serverToClient = TCPDirectionStream(id: id, direction: .serverToClient)
        let sourceIsClient: Bool
        switch (segment.flags.contains(.syn), segment.flags.contains(.ack)) {
        case (true, false):
            sourceIsClient = true
        case (true, true):
            sourceIsClient = false
            clientISN = segment.acknowledgmentNumber &- 1
            clientToServer.startIfNeeded(at: segment.acknowledgmentNumber)
        case (false, _):
            sourceIsClient = Self.isClient(segment.source, talkingTo: segment.destination, serverPorts: serverPorts)
        }
        clientIsLower = sourceIsClient == sourceIsLower
        events.append(.opened(
            id,
            client: sourceIsClient ? segment.source : segment.destination,
            server: sourceIsClient ? segment.destination : segment.source,
            handshakeSeen: segment.flags.contains(.syn),
            wallMicros: segment.wallMicros
        ))
    }

    private static func isClient(_ endpoint: IPEndpoint, talkingTo peer: IPEndpoint, serverPorts: Set<UInt16>) -> Bool {
        let endpointServes = serverPorts.contains(endpoint.port)
        let peerServes = serverPorts.contains(peer.port)
        guard endpointServes == peerServes else { return peerServes }
        return endpoint.port >= peer.port
    }

    func direction(sourceIsLower: Bool) -> TCPDirection {
        sourceIsLower == clientIsLower ? .clientToServer : .serverToClient
    }

    /// Whether a SYN on this connection's 4-tuple belongs to it: a retransmission of its SYN or
    /// SYN-ACK, or the SYN-ACK answering its SYN. Any other SYN starts a new connection.
    func belongsToIt(syn segment: TCPSegment, from direction: TCPDirection) -> Bool {
        guard segment.flags.contains(.ack) else {
            return direction == .clientToServer && clientISN == segment.sequenceNumber
        }
        return direction == .serverToClient && clientISN == segment.acknowledgmentNumber &- 1
            && (serverISN ?? segment.sequenceNumber) == segment.sequenceNumber
    }

    /// What a segment on the connection's 4-tuple did to it.
    enum Outcome {
        case continuing
        /// Both FINs emitted, or a RST: the connection is to be forgotten.
        case ended
        /// A SYN that does not belong to this connection (see ``belongsToIt(syn:from:)``): a new
        /// connection on the same 4-tuple; this one was left unchanged.
        case notItsSYN
    }

    /// Takes a segment sent on the connection's 4-tuple by the lower endpoint or the upper one.
    mutating func take(
        _ segment: TCPSegment, sourceIsLower: Bool, limits: TCPReassemblyLimits, into events: inout [TCPStreamEvent]
    ) -> Outcome {
        let direction = direction(sourceIsLower: sourceIsLower)
        if segment.flags.contains(.syn), !belongsToIt(syn: segment, from: direction) { return .notItsSYN }
        return process(segment, from: direction, limits: limits, into: &events) ? .ended : .continuing
    }

    /// Handles one segment of the connection. Returns whether the connection ended (both FINs
    /// emitted, or a RST) and is to be forgotten.
    ///
    /// The acknowledgment is applied to the other direction before this direction's bytes. A RST
    /// declares the holes of both directions missing, then emits `.closed(reset: true)`; a RST's
    /// own payload (a diagnostic text some stacks send) is not stream data and is dropped.
    mutating func process(
        _ segment: TCPSegment, from direction: TCPDirection, limits: TCPReassemblyLimits,
        into events: inout [TCPStreamEvent]
    ) -> Bool {
        lastActivityMicros = segment.wallMicros
        if segment.flags.contains(.rst) {
            declareRemainingHoles(wallMicros: segment.wallMicros, into: &events)
            events.append(.closed(id, direction, reset: true, wallMicros: segment.wallMicros))
            return true
        }
        var sequence = segment.sequenceNumber
        if segment.flags.contains(.syn) {
            if direction == .clientToServer { clientISN = clientISN ?? sequence } else { serverISN = serverISN ?? sequence }
            sequence &+= 1
            withStream(direction) { $0.startIfNeeded(at: sequence) }
        }
        if segment.flags.contains(.ack) {
            withStream(direction == .clientToServer ? .serverToClient : .clientToServer) {
                $0.acknowledge(segment.acknowledgmentNumber, wallMicros: segment.wallMicros, into: &events)
            }
        }
        withStream(direction) {
            $0.receive(
                sequence: sequence, payload: segment.payload, truncatedBytes: segment.truncatedBytes,
                fin: segment.flags.contains(.fin), wallMicros: segment.wallMicros, limits: limits, into: &events
            )
        }
        return clientToServer.isClosed && serverToClient.isClosed
    }

    /// Declares the holes of both directions missing and emits everything buffered: the
    /// connection is ending.
    mutating func declareRemainingHoles(wallMicros: Int64, into events: inout [TCPStreamEvent]) {
        clientToServer.declareRemainingHoles(wallMicros: wallMicros, into: &events)
        serverToClient.declareRemainingHoles(wallMicros: wallMicros, into: &events)
    }

    /// Runs `body` on one direction in place (no copy of its buffer).
    private mutating func withStream(_ direction: TCPDirection, _ body: (inout TCPDirectionStream) -> Void) {
        switch direction {
        case .clientToServer: body(&clientToServer)
        case .serverToClient: body(&serverToClient)
        }
    }
}
