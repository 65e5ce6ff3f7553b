import Foundation
import NIOCore
import SocketTapeCapture
import Testing
import SocketTapeTestSupport

@Suite struct PcapFileReaderTests {
    let ethernetFrame = Array(packet(Headers.ethernetIPv4 + Headers.ipv4 + Headers.tcp + Headers.payload).readableBytesView)

    @Test func readsBackWhatLibpcapWrote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("three.pcap")
        try writePcap(
            [
                PacketToWrite(bytes: ethernetFrame, wireLength: 56, seconds: 1_700_000_000, microseconds: 1),
                PacketToWrite(bytes: Array(ethernetFrame.prefix(40)), wireLength: 56, seconds: 1_700_000_000, microseconds: 999_999),
                PacketToWrite(bytes: [0xAB], wireLength: 1, seconds: 1_700_000_001, microseconds: 0),
            ],
            linkType: 1, to: path
        )
        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == .ethernet)
        let packets = Array(reader)
        #expect(packets == [
            CapturedPacket(bytes: ByteBuffer(bytes: ethernetFrame), wireLength: 56, wallMicros: 1_700_000_000_000_001),
            CapturedPacket(bytes: ByteBuffer(bytes: ethernetFrame.prefix(40)), wireLength: 56, wallMicros: 1_700_000_000_999_999),
            CapturedPacket(bytes: ByteBuffer(bytes: [0xAB]), wireLength: 1, wallMicros: 1_700_000_001_000_000),
        ])
        #expect(packets[1].capturedLength == 40)
        #expect(reader.damage == nil)
        #expect(reader.packetsRead == 3)
        #expect(reader.next() == nil)
    }

    @Test func readsTheLinkTypeOfTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("cooked.pcap")
        try writePcap([], linkType: 276, to: path)
        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == .linuxSLL2)
        #expect(reader.next() == nil)
        #expect(reader.damage == nil)
    }

    @Test func readsAHandWrittenPcapng() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("hand.pcapng")
        // Little-endian blocks. Section header: type, length 28, byte-order magic, version 1.0,
        // section length unknown (-1), length again.
        let sectionHeader = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
        // Interface description: type 1, length 20, link type 1 (Ethernet), reserved, snap length
        // 262144, length again. No if_tsresol option: microsecond timestamps.
        let interface = "01000000 14000000 0100 0000 00000400 14000000"
        // Enhanced packets: type 6, length, interface 0, timestamp high and low words, captured
        // length, wire length, data padded to 4 bytes, length again.
        // 1_700_000_000_123_456 µs = 0x00060a24_18202240; 28 + 56 + 4 = 88 bytes.
        let first = "06000000 58000000 00000000 240a0600 40222018 38000000 38000000"
            + Headers.ethernetIPv4 + Headers.ipv4 + Headers.tcp + Headers.payload + "58000000"
        // the same frame cut to 3 bytes, 1 µs later; 3 bytes padded to 4
        let second = "06000000 24000000 00000000 240a0600 41222018 03000000 38000000 020000 00 24000000"
        try Data(packet(sectionHeader + interface + first + second).readableBytesView).write(to: URL(fileURLWithPath: path))

        let reader = try PcapFileReader(path: path)
        #expect(reader.linkType == .ethernet)
        #expect(Array(reader) == [
            CapturedPacket(bytes: ByteBuffer(bytes: ethernetFrame), wireLength: 56, wallMicros: 1_700_000_000_123_456),
            CapturedPacket(bytes: ByteBuffer(bytes: [0x02, 0x00, 0x00]), wireLength: 56, wallMicros: 1_700_000_000_123_457),
        ])
        #expect(reader.damage == nil)
    }

    @Test func aPcapngInterfaceOfAnotherLinkTypeEndsReadingWithDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("two-links.pcapng")
        let sectionHeader = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
        let ethernetInterface = "01000000 14000000 0100 0000 00000400 14000000"
        let cookedInterface = "01000000 14000000 7100 0000 00000400 14000000"
        // 4 bytes "abcd" on interface 0, timestamp 0
        let packet0 = "06000000 24000000 00000000 00000000 00000000 04000000 04000000 61626364 24000000"
        try Data(packet(sectionHeader + ethernetInterface + packet0 + cookedInterface + packet0).readableBytesView)
            .write(to: URL(fileURLWithPath: path))

        let reader = try PcapFileReader(path: path)
        #expect(Array(reader) == [CapturedPacket(bytes: ByteBuffer(string: "abcd"), wireLength: 4, wallMicros: 0)])
        #expect(reader.damage == CaptureFileDamage(
            path: path, packetsRead: 1,
            libpcapMessage: "an interface has a type 113 different from the type of the first interface"
        ))
    }

    @Test func aFileCutInsideAPacketGivesTheWholePacketsThenTheDamage() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("cut.pcap")
        let packets = (0..<3).map { PacketToWrite(bytes: ethernetFrame, wireLength: 56, seconds: 1_700_000_000, microseconds: $0) }
        try writePcap(packets, linkType: 1, to: path)
        // 24-byte file header, then 16-byte record header + 56 bytes per packet: cut 20 bytes into the third
        let cutLength = 24 + 2 * (16 + 56) + 16 + 20
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(whole.count == 24 + 3 * (16 + 56))
        try whole.prefix(cutLength).write(to: URL(fileURLWithPath: path))

        let reader = try PcapFileReader(path: path)
        #expect(Array(reader).map(\.wallMicros) == [1_700_000_000_000_000, 1_700_000_000_000_001])
        let damage = try #require(reader.damage)
        #expect(damage.path == path)
        #expect(damage.packetsRead == 2)
        #expect(damage.libpcapMessage == "truncated dump file; tried to read 56 captured bytes, only got 20")
        #expect(damage.description == "\(path) is damaged after packet 2: truncated dump file; tried to read 56 captured bytes, only got 20")
    }

    @Test func batchesHoldThePacketsOneByOneReadingWouldGiveAndStopAtTheByteLimit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("batches.pcap")
        // Sizes 1...56 bytes, 100 packets, then a cut inside the last one.
        let packets = (0..<100).map {
            PacketToWrite(bytes: Array(ethernetFrame.prefix(1 + $0 % 56)), wireLength: 56, seconds: 1_700_000_000, microseconds: $0)
        }
        try writePcap(packets, linkType: 1, to: path)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        try whole.dropLast(2).write(to: URL(fileURLWithPath: path))

        let oneByOne = try PcapFileReader(path: path)
        let expected = Array(oneByOne)
        let batched = try PcapFileReader(path: path)
        var batches: [[CapturedPacket]] = []
        while case let batch = batched.nextBatch(byteLimit: 300), !batch.isEmpty { batches.append(batch) }

        #expect(expected.count == 99)
        #expect(batches.flatMap { $0 } == expected)
        for batch in batches.dropLast() {
            let bytes = batch.map(\.capturedLength)
            #expect(bytes.reduce(0, +) >= 300)  // full…
            #expect(bytes.dropLast().reduce(0, +) < 300)  // …by its last packet
        }
        #expect(batched.damage == oneByOne.damage)
        #expect(batched.damage?.packetsRead == 99)
        #expect(batched.nextBatch(byteLimit: 300).isEmpty)
    }

    @Test func aFileThatIsNotACaptureIsNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notes.txt")
        try Data("these are not packets\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CaptureFileError.self) { try PcapFileReader(path: path) }
        #expect(error.code == .notACaptureFile)
        #expect(error.path == path)
        #expect(error.description == "\(path) is not a pcap or pcapng capture file (libpcap: unknown file format)")
    }

    @Test func anEmptyFileIsNotACapture() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("empty.pcap")
        try Data().write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CaptureFileError.self) { try PcapFileReader(path: path) }
        #expect(error.code == .notACaptureFile)
        #expect(error.description.hasPrefix("\(path) is not a pcap or pcapng capture file (libpcap: truncated dump file"))
    }

    @Test func missingFilesAndDirectoriesAreUnreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("missing.pcap")
        let error = try #require(throws: CaptureFileError.self) { try PcapFileReader(path: missing) }
        #expect(error.code == .unreadable)
        #expect(error.description == "cannot read \(missing): No such file or directory")
        let isDirectory = try #require(throws: CaptureFileError.self) { try PcapFileReader(path: directory.path) }
        #expect(isDirectory.code == .unreadable)
        #expect(isDirectory.description == "cannot read \(directory.path): Is a directory")
    }
}
