#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import SocketTapeCapture
import Testing

/// These tests capture on the loopback interface: they need root or CAP_NET_RAW, and fail with
/// the capture's own message without them.
@Suite(.serialized) struct LiveCaptureTests {
    static let loopbackInterface = "lo"

    @Test func portFilterText() {
        #expect(CaptureFilter.tcpPorts([3000]).expression == "tcp port 3000")
        #expect(CaptureFilter.tcpPorts([3000, 3001]).expression == "tcp port 3000 or tcp port 3001")
    }

    @Test func capturesTheBytesOfARealConnection() throws {
        let listener = try LoopbackListener()
        let capture = try LiveCapture(.init(interface: Self.loopbackInterface, filter: .tcpPorts([listener.port])))
        #expect(capture.configuration.snapLength == 262_144)
        #expect(capture.configuration.bufferSize == 32 << 20)
        let packets = Shared<[CapturedPacket]>([])
        let endings = Shared<[LiveCaptureError?]>([])
        try capture.start(
            onPacket: { packet in packets.withLock { $0.append(packet) } },
            onEnd: { error in endings.withLock { $0.append(error) } }
        )
        let message = Array("captured on lo".utf8)
        try listener.sendOverNewConnection(message)

        let linkType = capture.linkType
        func segments() -> [TCPSegment] {
            packets.withLock { packets in packets.compactMap { try? PacketDecoder.decode($0, linkType: linkType) } }
        }
        func payloadSegments() -> [TCPSegment] { segments().filter { $0.payload.readableBytes > 0 } }
        // Packets reach the capture thread asynchronously: wait for them, at most 5 s.
        var waited = 0
        while payloadSegments().isEmpty, waited < 5_000 {
            usleep(10_000)
            waited += 10
        }
        capture.stop()

        let carrying = payloadSegments()
        try #require(carrying.count == 1, "captured \(packets.withLock { $0.count }) packets")
        #expect(carrying[0].payload == ByteBuffer(bytes: message))
        #expect(carrying[0].destination == IPEndpoint(address: [127, 0, 0, 1], port: listener.port))
        #expect(carrying[0].truncatedBytes == 0)
        let allPorts = segments().map { Set([$0.source.port, $0.destination.port]) }
        #expect(allPorts.allSatisfy { $0.contains(listener.port) }, "the filter keeps only the listener's port")

        // After stop() returns nothing more arrives, and the end was reported once, without error.
        let countAtStop = packets.withLock { $0.count }
        try listener.sendOverNewConnection(message)
        usleep(100_000)
        #expect(packets.withLock { $0.count } == countAtStop)
        #expect(endings.withLock { $0.count } == 1)
        #expect(endings.withLock { $0.first } == .some(nil))

        let statistics = try capture.statistics()
        #expect(statistics.received >= UInt32(countAtStop))
        #expect(statistics.droppedByKernel == 0)
        capture.stop()
    }

    @Test func stopReturnsWhenNothingArrives() throws {
        let capture = try LiveCapture(.init(interface: Self.loopbackInterface, filter: CaptureFilter(expression: "tcp port 9")))
        try capture.start(onPacket: { _ in }, onEnd: { _ in })
        let before = ContinuousClock.now
        capture.stop()
        #expect(ContinuousClock.now - before < .seconds(1))
        // Not `received == 0`: the kernel counts the packets that reached the socket before
        // libpcap attached the filter (and then discarded), which other tests' loopback traffic
        // can be.
        let statistics = try capture.statistics()
        #expect(statistics.droppedByKernel == 0)
        #expect(statistics.droppedByInterface == 0)
    }

    @Test func stopFromTheCallbackEndsTheCapture() throws {
        let listener = try LoopbackListener()
        let capture = try LiveCapture(.init(interface: Self.loopbackInterface, filter: .tcpPorts([listener.port])))
        let delivered = Shared(0)
        let ended = Shared(false)
        try capture.start(
            onPacket: { _ in
                delivered.withLock { $0 += 1 }
                capture.stop()
            },
            onEnd: { _ in ended.withLock { $0 = true } }
        )
        try listener.sendOverNewConnection(Array("one".utf8))
        var waited = 0
        while !ended.withLock({ $0 }), waited < 5_000 {
            usleep(10_000)
            waited += 10
        }
        #expect(ended.withLock { $0 })
        #expect(delivered.withLock { $0 } == 1)
        capture.stop()
    }

    @Test func badFilterNamesTheFilter() throws {
        let error = try #require(throws: LiveCaptureError.self) {
            try LiveCapture(.init(interface: Self.loopbackInterface, filter: CaptureFilter(expression: "tcp port banana")))
        }
        #expect(error.code == .badFilter)
        #expect(error.description.hasPrefix("bad capture filter 'tcp port banana': "))
        #expect(error.description.contains("banana"))
    }

    @Test func missingInterfaceIsNamed() throws {
        let error = try #require(throws: LiveCaptureError.self) {
            try LiveCapture(.init(interface: "nosuch0", filter: nil))
        }
        #expect(error.code == .noSuchInterface)
        #expect(error.interface == "nosuch0")
        #expect(error.description.hasPrefix("no such interface: nosuch0 ("))
    }
}
