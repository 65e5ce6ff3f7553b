import NIOCore

/// The two Engine.IO v3 payload formats (engine.io-protocol v3, "Payload").
extension EngineIOPayload {
    /// Length prefixes longer than this are rejected before they could overflow.
    static let maxLengthDigits = 15

    /// `<length>:<packet>…`, the length in UTF-16 code units; `bytes` is valid UTF-8.
    static func decodeV3Text(_ bytes: UnsafeRawBufferPointer) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        var index = 0
        while index < bytes.count {
            let lengthStart = index
            var length = 0
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else {
                    throw EngineIOError(offset: index, reason: "expected a length digit or ':', found \(describeByte(bytes[index]))")
                }
                guard index - lengthStart < maxLengthDigits else {
                    throw EngineIOError(offset: lengthStart, reason: "a length of more than \(maxLengthDigits) digits")
                }
                length = length * 10 + Int(digit)
                index += 1
            }
            guard index < bytes.count else { throw EngineIOError(offset: lengthStart, reason: "a length without ':' and packet") }
            guard index > lengthStart else { throw EngineIOError(offset: index, reason: "':' without a length before it") }
            index += 1
            let packetStart = index
            index = try skipUTF16Units(length, in: bytes, from: packetStart)
            if length > 0 {
                packets.append(try EngineIOPacket.decodeText(UnsafeRawBufferPointer(rebasing: bytes[packetStart..<index]), at: packetStart, base64: .v3))
            }
        }
        return packets
    }

    /// The offset after `count` UTF-16 code units of the valid UTF-8 `bytes` from `start`.
    private static func skipUTF16Units(_ count: Int, in bytes: UnsafeRawBufferPointer, from start: Int) throws(EngineIOError) -> Int {
        var index = start
        var units = 0
        while units < count {
            guard index < bytes.count else {
                throw EngineIOError(offset: start, reason: "a packet of length \(count) with only \(units) characters left in the payload")
            }
            let lead = bytes[index]
            let (byteCount, unitCount) = lead < 0x80 ? (1, 1) : lead < 0xE0 ? (2, 1) : lead < 0xF0 ? (3, 1) : (4, 2)
            guard units + unitCount <= count else {
                throw EngineIOError(offset: index, reason: "a packet length of \(count) ends inside a surrogate pair")
            }
            units += unitCount
            index += byteCount
        }
        return index
    }

    /// Appends `<UTF-16 length>:<packet>`.
    static func writeV3Text(_ packet: EngineIOPacket, to bytes: inout [UInt8]) {
        var encoded: [UInt8] = []
        // v3 text packets carry binary as `b<type><base64>`, which cannot fail.
        try? writePollingPacket(packet, version: .v3, to: &encoded)
        let units = String(decoding: encoded, as: UTF8.self).utf16.count
        bytes.append(contentsOf: Array(String(units).utf8))
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: encoded)
    }

    /// `<0|1><length digits as bytes 0–9>0xFF<packet>…`, the length in bytes.
    static func decodeV3Binary(_ bytes: UnsafeRawBufferPointer) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        var index = 0
        while index < bytes.count {
            let entryStart = index
            let isText: Bool
            switch bytes[index] {
            case 0: isText = true
            case 1: isText = false
            default:
                throw EngineIOError(offset: index, reason: "a binary payload entry starting with \(describeByte(bytes[index])), not 0 (text) or 1 (binary)")
            }
            index += 1
            let lengthStart = index
            var length = 0
            while index < bytes.count, bytes[index] != 0xFF {
                guard bytes[index] < 10 else {
                    throw EngineIOError(offset: index, reason: "a length digit byte 0x\(String(bytes[index], radix: 16, uppercase: true)), not 0–9 or the 0xFF separator")
                }
                guard index - lengthStart < maxLengthDigits else {
                    throw EngineIOError(offset: lengthStart, reason: "a length of more than \(maxLengthDigits) digits")
                }
                length = length * 10 + Int(bytes[index])
                index += 1
            }
            guard index < bytes.count else { throw EngineIOError(offset: entryStart, reason: "a binary payload entry without the 0xFF separator") }
            guard index > lengthStart else { throw EngineIOError(offset: index, reason: "a binary payload entry without a length") }
            index += 1
            guard length <= bytes.count - index else {
                throw EngineIOError(offset: entryStart, reason: "a binary payload entry of \(length) bytes with only \(bytes.count - index) left")
            }
            let packet = UnsafeRawBufferPointer(rebasing: bytes[index..<index + length])
            if isText {
                if let invalid = firstInvalidUTF8Offset(packet) { throw EngineIOError(offset: index + invalid, reason: "a text entry that is not UTF-8") }
                packets.append(try EngineIOPacket.decodeText(packet, at: index, base64: .v3))
            } else {
                guard let first = packet.first, let type = EngineIOPacketType(rawValue: first) else {
                    throw EngineIOError(offset: index, reason: packet.isEmpty ? "an empty binary entry" : "unknown packet type \(describeByte(packet[0]))")
                }
                packets.append(EngineIOPacket(type: type, data: .binary(ByteBuffer(bytes: packet.dropFirst()))))
            }
            index += length
        }
        return packets
    }

    /// Appends one entry of a binary payload.
    static func writeV3Binary(_ packet: EngineIOPacket, to bytes: inout [UInt8]) {
        var encoded: [UInt8] = []
        let kind: UInt8
        switch packet.data {
        case .binary(let data):
            kind = 1
            encoded.append(packet.type.rawValue)
            encoded.append(contentsOf: data.readableBytesView)
        case .empty, .text:
            kind = 0
            packet.writeText(to: &encoded)
        }
        bytes.append(kind)
        bytes.append(contentsOf: String(encoded.count).utf8.map { $0 - UInt8(ascii: "0") })
        bytes.append(0xFF)
        bytes.append(contentsOf: encoded)
    }
}
