import NIOCore
import SocketTapeCapture
import Testing

/// Known byte streams cut into random segments, reordered within a window, duplicated, overlapped
/// and partly not captured must come out exactly: every captured byte once, in order, and exactly
/// the ranges the capture missed as gaps.
@Suite struct TCPReassemblerPropertyTests {
    @Test(arguments: 1...12 as ClosedRange<UInt64>)
    func reorderedDuplicatedOverlappingSegmentsComeOutExactly(seed: UInt64) {
        let scenario = TCPScenario(seed: seed)
        let output = scenario.reassemble()
        #expect(output.runs == scenario.expectedRuns)
        #expect(output.openedCount == 1)
        #expect(output.ending == scenario.expectedEnding)
    }

    @Test(arguments: 101...112 as ClosedRange<UInt64>)
    func segmentsTheCaptureMissedAreGapsOfExactlyTheirRanges(seed: UInt64) {
        var scenario = TCPScenario(seed: seed)
        scenario.missBaseSegments(oneIn: 15)
        #expect(scenario.missedRangeCount > 0)
        let output = scenario.reassemble()
        #expect(output.runs == scenario.expectedRuns)
        #expect(output.openedCount == 1)
        #expect(output.ending == scenario.expectedEnding)
    }
}

/// SplitMix64: a small deterministic generator, so a failing seed can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// What one direction's stream is made of, after merging neighbours of the same kind.
enum TCPStreamRun: Equatable, CustomStringConvertible {
    case bytes([UInt8])
    case gap(UInt64)

    var description: String {
        switch self {
        case .bytes(let bytes): "bytes(\(bytes.count))"
        case .gap(let count): "gap(\(count))"
        }
    }

    static func append(_ run: TCPStreamRun, to runs: inout [TCPStreamRun]) {
        switch (runs.last, run) {
        case (.bytes(let previous), .bytes(let next)): runs[runs.count - 1] = .bytes(previous + next)
        case (.gap(let previous), .gap(let next)): runs[runs.count - 1] = .gap(previous + next)
        default: runs.append(run)
        }
    }
}

/// Two streams sent over one connection whose ISNs are just below 2^32, cut into segments.
struct TCPScenario {
    struct Planned {
        var direction: TCPDirection
        var range: Range<Int>
        var isBase: Bool
        /// Whether the capture saw the segment; the receiver gets it either way.
        var captured = true
    }

    static let directions: [TCPDirection] = [.clientToServer, .serverToClient]
    let peers = TCPTestPeers()
    var generator: SeededGenerator
    let streams: [TCPDirection: [UInt8]]
    let isns: [TCPDirection: UInt32]
    /// Every segment sent, in the order it passes the capture point.
    var planned: [Planned] = []

    init(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        var streams: [TCPDirection: [UInt8]] = [:]
        var isns: [TCPDirection: UInt32] = [:]
        for direction in Self.directions {
            let length = Int.random(in: 20_000...40_000, using: &generator)
            streams[direction] = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            isns[direction] = UInt32.max - UInt32.random(in: 0..<UInt32(length), using: &generator)
        }
        self.generator = generator
        self.streams = streams
        self.isns = isns
        planned = plan()
    }

    /// Base segments covering each stream, 10% duplicated and 10% more overlapping random ranges,
    /// in stream order per direction, the directions interleaved, then shuffled within a window of 8.
    private mutating func plan() -> [Planned] {
        var keyed: [(key: Double, segment: Planned)] = []
        for direction in Self.directions {
            let stream = streams[direction]!
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + Int.random(in: 1...1400, using: &generator))
                let progress = Double(start) / Double(stream.count)
                keyed.append((progress, Planned(direction: direction, range: start..<end, isBase: true)))
                if Int.random(in: 0..<10, using: &generator) == 0 {
                    keyed.append((progress + 0.001, Planned(direction: direction, range: start..<end, isBase: false)))
                }
                if Int.random(in: 0..<10, using: &generator) == 0 {
                    let overlapStart = max(0, start - Int.random(in: 0...2000, using: &generator))
                    let overlapEnd = min(stream.count, end + Int.random(in: 0...2000, using: &generator))
                    keyed.append((progress + 0.002, Planned(direction: direction, range: overlapStart..<overlapEnd, isBase: false)))
                }
                start = end
            }
        }
        var ordered = keyed.sorted { $0.key < $1.key }.map(\.segment)
        for index in ordered.indices {
            ordered.swapAt(index, Int.random(in: index..<min(ordered.count, index + 8), using: &generator))
        }
        return ordered
    }

    /// Marks about one base segment in `oneIn` as not captured (its receiver still gets it, so
    /// acknowledgments cover it) and leaves out the duplicates and overlaps touching its range:
    /// a captured copy would fill the hole, and a missed copy arriving earlier would make the
    /// receiver acknowledge bytes whose only captured copy comes later.
    mutating func missBaseSegments(oneIn: Int) {
        for index in planned.indices where planned[index].isBase && Int.random(in: 0..<oneIn, using: &generator) == 0 {
            planned[index].captured = false
        }
        let missed = planned.filter { !$0.captured }
        planned.removeAll { segment in
            !segment.isBase && missed.contains { $0.direction == segment.direction && $0.range.overlaps(segment.range) }
        }
    }

    var missedRangeCount: Int { planned.filter { $0.isBase && !$0.captured }.count }

    /// Each direction's stream with the ranges of missed base segments as gaps.
    var expectedRuns: [TCPDirection: [TCPStreamRun]] {
        var expected: [TCPDirection: [TCPStreamRun]] = [:]
        let bases = planned.filter(\.isBase).sorted { $0.range.lowerBound < $1.range.lowerBound }
        for base in bases {
            let run: TCPStreamRun = base.captured
                ? .bytes(Array(streams[base.direction]![base.range]))
                : .gap(UInt64(base.range.count))
            TCPStreamRun.append(run, to: &expected[base.direction, default: []])
        }
        return expected
    }

    /// Feeds the handshake, the planned segments that were captured (each acknowledging what its
    /// receiver has contiguously received so far), an ACK of everything from each side, both FINs
    /// and the last ACK; then `finish`. The runs are those emitted before the FINs.
    func reassemble() -> (runs: [TCPDirection: [TCPStreamRun]], openedCount: Int, ending: [String]) {
        var reassembler = TCPReassembler(serverPorts: [peers.server.port])
        var events: [TCPStreamEvent] = []
        var time: Int64 = 0
        func send(_ segment: TCPSegment) {
            reassembler.process(segment, into: &events)
        }
        var received: [TCPDirection: [Bool]] = streams.mapValues { [Bool](repeating: false, count: $0.count) }
        var contiguous: [TCPDirection: Int] = [.clientToServer: 0, .serverToClient: 0]
        func acknowledgment(of direction: TCPDirection) -> UInt32 {
            isns[direction]! &+ 1 &+ UInt32(contiguous[direction]!)
        }
        let client = isns[.clientToServer]!, server = isns[.serverToClient]!
        send(peers.segment(.clientToServer, seq: client, flags: .syn, at: 0))
        send(peers.segment(.serverToClient, seq: server, ack: client &+ 1, flags: .syn, at: 0))
        for segment in planned {
            time += 1
            let other: TCPDirection = segment.direction == .clientToServer ? .serverToClient : .clientToServer
            if segment.captured {
                let bytes = streams[segment.direction]![segment.range]
                send(TCPSegment(
                    source: segment.direction == .clientToServer ? peers.client : peers.server,
                    destination: segment.direction == .clientToServer ? peers.server : peers.client,
                    sequenceNumber: isns[segment.direction]! &+ 1 &+ UInt32(segment.range.lowerBound),
                    acknowledgmentNumber: acknowledgment(of: other),
                    flags: .ack,
                    payload: ByteBuffer(bytes: bytes),
                    wallMicros: time
                ))
            }
            for offset in segment.range { received[segment.direction]![offset] = true }
            while contiguous[segment.direction]! < received[segment.direction]!.count,
                received[segment.direction]![contiguous[segment.direction]!] {
                contiguous[segment.direction]! += 1
            }
        }
        send(peers.segment(.serverToClient, seq: acknowledgment(of: .serverToClient), ack: acknowledgment(of: .clientToServer), at: time + 1))
        send(peers.segment(.clientToServer, seq: acknowledgment(of: .clientToServer), ack: acknowledgment(of: .serverToClient), at: time + 1))
        let acknowledgedEverything = events.count
        for direction in Self.directions {
            let other: TCPDirection = direction == .clientToServer ? .serverToClient : .clientToServer
            send(peers.segment(direction, seq: acknowledgment(of: direction), ack: acknowledgment(of: other), flags: .fin, at: time + 2))
            contiguous[direction]! += 1
        }
        send(peers.segment(.clientToServer, seq: acknowledgment(of: .clientToServer), ack: acknowledgment(of: .serverToClient), at: time + 3))
        reassembler.finish(wallMicros: time + 4, into: &events)

        var runs: [TCPDirection: [TCPStreamRun]] = [:]
        for event in events[..<acknowledgedEverything] {
            switch event {
            case .data(_, let direction, let bytes, _): TCPStreamRun.append(.bytes(Array(buffer: bytes)), to: &runs[direction, default: []])
            case .gap(_, let direction, let count, _): TCPStreamRun.append(.gap(count), to: &runs[direction, default: []])
            case .opened, .closed, .unfinished: break
            }
        }
        let openedCount = events.filter { if case .opened = $0 { true } else { false } }.count
        return (runs, openedCount, events[acknowledgedEverything...].map(\.testDescription))
    }

    /// After both sides acknowledged everything (every hole is declared by then): only the FINs,
    /// and nothing left for `finish`.
    var expectedEnding: [String] {
        ["closed 1 c>s fin @\(planned.count + 2)", "closed 1 s>c fin @\(planned.count + 2)"]
    }
}
