import NIOCore
import SocketTapeCapture
import Testing

/// Packets cut anywhere or with bytes changed at random give a segment or a reason, never a crash
/// or a payload outside the packet.
@Suite struct PacketDecoderRobustnessTests {
    /// The decoding of `whole` captured up to each length short of whole.
    private func everyCut(of whole: ByteBuffer) -> [(Int, Result<TCPSegment, PacketSkipReason>)] {
        (0..<whole.readableBytes).map { cut in
            let captured = whole.getSlice(at: 0, length: cut)!
            return (cut, Result { () throws(PacketSkipReason) in
                try PacketDecoder.decode(captured, linkType: .ethernet, wireLength: whole.readableBytes, wallMicros: 0)
            })
        }
    }

    @Test func everyCutOfAnIPv4PacketIsNamed() throws {
        let whole = packet(Headers.ethernetIPv4 + Headers.ipv4 + Headers.tcp + Headers.payload)
        for (cut, result) in everyCut(of: whole) {
            switch cut {
            case ..<14: #expect(result.failure == .truncatedHeader(.link), "cut at \(cut)")
            case ..<34: #expect(result.failure == .truncatedHeader(.ipv4), "cut at \(cut)")
            case ..<54: #expect(result.failure == .truncatedHeader(.tcp), "cut at \(cut)")
            default:
                let segment = try #require(try? result.get(), "cut at \(cut)")
                #expect(segment.payload == ByteBuffer(string: String("hi".prefix(cut - 54))))
                #expect(segment.truncatedBytes == UInt32(56 - cut))
            }
        }
    }

    @Test func everyCutOfAnIPv6PacketWithAnExtensionIsNamed() throws {
        let whole = packet(
            Headers.ethernetIPv6
                + "60000000 001e 3c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                + "0600 010400000000" + Headers.tcp + Headers.payload
        )
        for (cut, result) in everyCut(of: whole) {
            switch cut {
            case ..<14: #expect(result.failure == .truncatedHeader(.link), "cut at \(cut)")
            case ..<54: #expect(result.failure == .truncatedHeader(.ipv6), "cut at \(cut)")
            case ..<62: #expect(result.failure == .truncatedHeader(.ipv6Extension), "cut at \(cut)")
            case ..<82: #expect(result.failure == .truncatedHeader(.tcp), "cut at \(cut)")
            default: #expect(try result.get().truncatedBytes == UInt32(84 - cut))
            }
        }
    }

    @Test(arguments: [
        (LinkType.ethernet, Headers.ethernetIPv6 + Headers.ipv6),
        (.ethernet, "020000000002 020000000001 8100 0064" + "0800" + Headers.ipv4),
        (.linuxSLL, "0000 0001 0006 020000000001 0000 0800" + Headers.ipv4),
        (.linuxSLL2, "86dd 0000 00000001 0001 04 06 020000000001 0000" + Headers.ipv6),
        (.null, "1e000000" + Headers.ipv6),
        (.rawIP, Headers.ipv4),
    ])
    func changedBytesNeverCrashOrReachOutside(linkType: LinkType, headers: String) {
        let original = Array(packet(headers + Headers.tcp + Headers.payload).readableBytesView)
        var random = SeededGenerator(state: UInt64(original.count))
        var segments = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 4)) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let length = Int(random.next() % UInt64(bytes.count + 1))
            let captured = ByteBuffer(bytes: bytes.prefix(length))
            guard
                let segment = try? PacketDecoder.decode(captured, linkType: linkType, wireLength: bytes.count, wallMicros: 0)
            else { continue }
            segments += 1
            #expect(segment.payload.readableBytes <= captured.readableBytes - 40)
        }
        #expect(segments > 0, "some changed packets still decode")
    }
}

extension Result {
    fileprivate var failure: Failure? {
        guard case .failure(let failure) = self else { return nil }
        return failure
    }
}

/// A small seeded generator, so a failure can be repeated.
