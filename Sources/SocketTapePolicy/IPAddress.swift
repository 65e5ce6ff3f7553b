/// An IPv4 or IPv6 address as bytes (IPv4-mapped IPv6 addresses become IPv4), for matching
/// trusted proxies. Parsed by hand: the module has no Foundation and `inet_pton` is not portable
/// Swift; the grammar is small (RFC 4291 §2.2 text forms, no zone ids).
struct IPAddress: Equatable {
    var bytes: [UInt8]

    init?(_ text: some StringProtocol) {
        if let v4 = Self.parseV4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseV6(Substring(text)) {
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            bytes = Array(v6.prefix(12)) == mappedPrefix ? Array(v6.suffix(4)) : v6
        } else {
            return nil
        }
    }

    private static func parseV4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseV6(_ text: Substring) -> [UInt8]? {
        func groups(_ text: Substring) -> [UInt8]? {
            if text.isEmpty { return [] }
            var bytes: [UInt8] = []
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index == parts.count - 1, part.contains("."), let v4 = parseV4(part) {
                    bytes += v4
                } else {
                    guard (1...4).contains(part.count), let value = UInt16(part, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return bytes
        }
        let halves = text.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        if halves.count == 2 {
            guard let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count <= 14,
                !halves[1].contains("::")
            else { return nil }
            return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
        }
        guard let all = groups(text), all.count == 16 else { return nil }
        return all
    }
}

/// An address or CIDR block (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`).
struct AddressBlock: Equatable {
    var network: IPAddress
    var prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let network = IPAddress(parts[0]) else { return nil }
        let writtenAsV6 = parts[0].contains(":")
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...(writtenAsV6 ? 128 : 32)).contains(length) else { return nil }
            // A v4-mapped v6 block (`::ffff:10.0.0.0/104`) counts its prefix over the v6 form.
            prefixLength = writtenAsV6 && network.bytes.count == 4 ? max(0, length - 96) : length
        } else {
            prefixLength = network.bytes.count * 8
        }
        self.network = network
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard a & mask == b & mask else { return false }
            remaining -= 8
        }
        return true
    }
}
