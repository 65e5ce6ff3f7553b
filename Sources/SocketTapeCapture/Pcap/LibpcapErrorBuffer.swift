import CPcap

/// The `PCAP_ERRBUF_SIZE` characters libpcap writes its message into when a call that has no
/// handle yet (`pcap_create`, opening a file) fails.
struct LibpcapErrorBuffer {
    private var characters = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))

    mutating func withPointer<Result>(_ body: (UnsafeMutablePointer<CChar>) -> Result) -> Result {
        characters.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    var message: String {
        characters.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
