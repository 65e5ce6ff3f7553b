import CPcap
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes synthesised packets to a classic pcap file with libpcap (`pcap_open_dead`, `pcap_dump`).
///
/// Link type `LINKTYPE_RAW` (raw IPv4 and IPv6 datagrams, no link-layer header), microsecond
/// timestamps, snapshot length 65535, each packet written whole.
public final class PcapFileWriter {
    private let pcap: OpaquePointer
    private var dumper: OpaquePointer?
    private let name: String

    /// Opens `path` for writing (created or truncated), or standard output when `path` is `nil`.
    ///
    /// - Throws: ``PcapWriteError`` naming the file and libpcap's reason.
    public init(path: String?) throws(PcapWriteError) {
        name = path ?? "standard output"
        guard let pcap = pcap_open_dead(DLT_RAW, 65535) else { throw PcapWriteError("\(name): libpcap cannot start a capture file") }
        self.pcap = pcap
        if let path {
            dumper = pcap_dump_open(pcap, path)
        } else if let output = fdopen(STDOUT_FILENO, "wb") {
            dumper = pcap_dump_fopen(pcap, output)
        }
        guard dumper != nil else {
            let reason = String(cString: pcap_geterr(pcap))
            pcap_close(pcap)
            throw PcapWriteError("\(name): cannot write: \(reason)")
        }
    }

    /// Appends one packet, stamped with its wall-clock time.
    public func write(_ packet: SynthesizedPacket) {
        guard let dumper else { return }
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(packet.wallMicros.quotientAndRemainder(dividingBy: 1_000_000).quotient)
        header.ts.tv_usec = Int(packet.wallMicros - Int64(header.ts.tv_sec) * 1_000_000)
        header.caplen = UInt32(packet.bytes.readableBytes)
        header.len = header.caplen
        packet.bytes.withUnsafeReadableBytes { bytes in
            pcap_dump(UnsafeMutablePointer<UInt8>(dumper), &header, bytes.bindMemory(to: UInt8.self).baseAddress)
        }
    }

    /// Flushes and closes the file.
    ///
    /// - Throws: ``PcapWriteError`` when the data could not all be written (a full disk, a closed pipe).
    public func close() throws(PcapWriteError) {
        guard let dumper else { return }
        self.dumper = nil
        let flushed = pcap_dump_flush(dumper) == 0
        pcap_dump_close(dumper)
        guard flushed else { throw PcapWriteError("\(name): cannot write: \(String(cString: strerror(errno)))") }
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        pcap_close(pcap)
    }
}
