import NIOCore

/// HTTP long-polling bodies: several Engine.IO packets in one request or response body.
///
/// - v4 (engine.io-protocol v4, "Packet encoding", "HTTP long-polling"): text packets joined by
///   the record separator 0x1E; binary data as `b<base64>` (message packets only).
/// - v3 (engine.io-protocol v3, "Payload"), text: `<length>:<packet>` repeated, the length
///   counting UTF-16 code units as JavaScript's `String.length` does (`€` is 1, `😀` is 2);
///   binary data as `b<type digit><base64>`; an empty payload is `0:`.
/// - v3, binary (XHR2; the body's Content-Type is `application/octet-stream`): per packet a
///   byte 0 (text) or 1 (binary), the length in decimal digits written as bytes 0–9, a byte
///   0xFF, then the packet: UTF-8 text `<type digit><data>`, or a type byte and the data; the
///   length counts bytes.
///
/// JSONP polling (v3's `j` parameter, `___eio[…]("…")`) is not decoded.
public enum EngineIOPayload {
    /// Decodes a polling body into its packets.
    ///
    /// - Parameters:
    ///   - binary: whether the body's Content-Type is `application/octet-stream` (v3's binary
    ///     payload; Engine.IO v4 has none and rejects it).
    /// - Throws: ``EngineIOError`` naming the byte offset in `body`: an empty body, text that is
    ///   not UTF-8, a bad length or separator, a packet that does not decode.
    public static func decode(_ body: ByteBuffer, version: EngineIOVersion, binary: Bool = false) throws(EngineIOError) -> [EngineIOPacket] {
        try body.withUnsafeReadableBytes { bytes in
            Result { () throws(EngineIOError) in
                switch (version, binary) {
                case (.v4, true):
                    throw EngineIOError(offset: nil, reason: "Engine.IO v4 has no binary (application/octet-stream) payload")
                case (.v3, true):
                    return try decodeV3Binary(bytes)
                case (_, false):
                    guard !bytes.isEmpty else { throw EngineIOError(offset: 0, reason: "an empty payload") }
                    if let invalid = firstInvalidUTF8Offset(bytes) { throw EngineIOError(offset: invalid, reason: "a text payload that is not UTF-8") }
                    return version == .v4 ? try decodeV4(bytes) : try decodeV3Text(bytes)
                }
            }
        }.get()
    }

    /// Encodes packets as a polling body (the inverse of ``decode(_:version:binary:)``).
    ///
    /// - Throws: ``EngineIOError`` when the format cannot carry a packet: binary data in a
    ///   packet other than `message` under v4, or `binary` under v4.
    public static func encode(_ packets: [EngineIOPacket], version: EngineIOVersion, binary: Bool = false) throws(EngineIOError) -> ByteBuffer {
        var bytes: [UInt8] = []
        switch (version, binary) {
        case (.v4, true):
            throw EngineIOError(offset: nil, reason: "Engine.IO v4 has no binary (application/octet-stream) payload")
        case (.v3, true):
            for packet in packets { writeV3Binary(packet, to: &bytes) }
        case (.v3, false):
            if packets.isEmpty { bytes.append(contentsOf: Array("0:".utf8)) }
            for packet in packets { writeV3Text(packet, to: &bytes) }
        case (.v4, false):
            for (position, packet) in packets.enumerated() {
                if position > 0 { bytes.append(recordSeparator) }
                try writePollingPacket(packet, version: .v4, to: &bytes)
            }
        }
        return ByteBuffer(bytes: bytes)
    }

    static let recordSeparator: UInt8 = 0x1E

    /// One packet of a text payload: `<type digit>[<text>]`, or binary data as `b<base64>`
    /// (v4) / `b<type digit><base64>` (v3).
    static func writePollingPacket(_ packet: EngineIOPacket, version: EngineIOVersion, to bytes: inout [UInt8]) throws(EngineIOError) {
        guard case .binary(let data) = packet.data else {
            packet.writeText(to: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "b"))
        if version == .v4 {
            try packet.requireMessage(for: version)
        } else {
            bytes.append(packet.type.digit)
        }
        data.withUnsafeReadableBytes { Base64.encode($0, appendingTo: &bytes) }
    }

    private static func decodeV4(_ bytes: UnsafeRawBufferPointer) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        var start = 0
        while true {
            let end = bytes[start...].firstIndex(of: recordSeparator) ?? bytes.count
            packets.append(try EngineIOPacket.decodeText(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), at: start, base64: .v4))
            guard end < bytes.count else { return packets }
            start = end + 1
        }
    }
}
