import CPcap
import Foundation
import Testing

/// A packet to write with libpcap's own writer: its bytes, wire length and timestamp.
struct PacketToWrite {
    var bytes: [UInt8]
    var wireLength: Int
    var seconds: Int
    var microseconds: Int
}

/// Writes a classic pcap file with `pcap_open_dead` + `pcap_dump_open` + `pcap_dump`.
func writePcap(_ packets: [PacketToWrite], linkType: Int32, to path: String) throws {
    let dead = try #require(pcap_open_dead(linkType, 262_144))
    defer { pcap_close(dead) }
    let dumper = try #require(pcap_dump_open(dead, path), "\(String(cString: pcap_geterr(dead)))")
    for packet in packets {
        var header = pcap_pkthdr()
        header.ts.tv_sec = packet.seconds
        header.ts.tv_usec = packet.microseconds
        header.caplen = UInt32(packet.bytes.count)
        header.len = UInt32(packet.wireLength)
        pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, packet.bytes)
    }
    pcap_dump_close(dumper)
}
