import NIOCore

/// A packet written as hex bytes (spaces and line breaks ignored), so tests show every byte.
func packet(_ hex: String) -> ByteBuffer {
    let digits = hex.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "an even number of hex digits")
    var bytes = ByteBuffer()
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.writeInteger(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Headers the decoder tests combine. Addresses 192.168.0.1:51000 → 192.168.0.2:3000 and
/// 2001:db8::1:51000 → 2001:db8::2:3000, sequence 100, acknowledgment 200, PSH+ACK.
enum Headers {
    static let ethernetIPv4 = "020000000002 020000000001 0800"
    static let ethernetIPv6 = "020000000002 020000000001 86dd"
    /// IPv4, no options, total length 42 (20 + 20 + 2), DF, TTL 64, TCP.
    static let ipv4 = "4500 002a 0001 4000 4006 0000 c0a80001 c0a80002"
    /// IPv6, payload length 22 (20 + 2), next header TCP, hop limit 64.
    static let ipv6 = "60000000 0016 06 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
    /// TCP 51000 → 3000, seq 100, ack 200, data offset 5, PSH+ACK, window 65535.
    static let tcp = "c738 0bb8 00000064 000000c8 5018 ffff 0000 0000"
    /// "hi"
    static let payload = "6869"
}
