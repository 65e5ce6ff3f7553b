/// The unordered pair of endpoints of a TCP connection: both directions of a connection map to
/// the same key.
struct TCPConnectionKey: Hashable {
    /// The endpoint that sorts first (by port, then by address bytes).
    let lower: IPEndpoint
    let upper: IPEndpoint

    /// The key of the connection `segment` travels on, and whether its source is `lower`.
    static func of(_ segment: TCPSegment) -> (key: TCPConnectionKey, sourceIsLower: Bool) {
        let sourceIsLower = !precedes(segment.destination, segment.source)
        let key = sourceIsLower
            ? TCPConnectionKey(lower: segment.source, upper: segment.destination)
            : TCPConnectionKey(lower: segment.destination, upper: segment.source)
        return (key, sourceIsLower)
    }

    /// Three words instead of every field: reassembly hashes a key for every segment.
    func hash(into hasher: inout Hasher) {
        let (lowerAddress, upperAddress) = (lower.packedAddress, upper.packedAddress)
        hasher.combine(lowerAddress.high ^ (upperAddress.high >> 1))
        hasher.combine(lowerAddress.low ^ (upperAddress.low >> 1))
        hasher.combine(UInt64(lower.port) << 32 | UInt64(upper.port) << 8 | (lowerAddress.isIPv6 ? 1 : 0))
    }

    private static func precedes(_ first: IPEndpoint, _ second: IPEndpoint) -> Bool {
        guard first.port == second.port else { return first.port < second.port }
        return first.packedAddress.precedes(second.packedAddress)
    }
}
