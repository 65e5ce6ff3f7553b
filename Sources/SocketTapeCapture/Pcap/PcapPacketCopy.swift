import CPcap
import NIOCore

extension CapturedPacket {
    /// Copies the packet libpcap handed over (valid only until its next read) into one buffer.
    init(header: pcap_pkthdr, data: UnsafePointer<UInt8>, allocator: ByteBufferAllocator) {
        let capturedLength = Int(header.caplen)
        var bytes = allocator.buffer(capacity: capturedLength)
        bytes.writeBytes(UnsafeRawBufferPointer(start: data, count: capturedLength))
        self.init(
            bytes: bytes,
            wireLength: Int(header.len),
            wallMicros: header.wallMicros
        )
    }
}

extension pcap_pkthdr {
    /// The packet's capture time, microseconds since the Unix epoch (the handle reads microseconds).
    var wallMicros: Int64 {
        Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_usec)
    }
}
