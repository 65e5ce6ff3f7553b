import NIOCore
import SocketTapeWire
import Testing

/// Polling bodies with the exact bytes of engine.io-protocol (`main` = v4, branch `v3`) and of
/// socket.io-protocol's sample sessions.
struct EngineIOPayloadTests {
    static func binary(_ bytes: [UInt8]) -> EngineIOPacket {
        EngineIOPacket(type: .message, data: .binary(ByteBuffer(bytes: bytes)))
    }

    static let textPayloads: [(EngineIOVersion, String, [EngineIOPacket])] = [
        // v4 "Packet encoding", "HTTP long-polling".
        (.v4, "4hello\u{1E}2\u{1E}4world", [.message("hello"), EngineIOPacket(type: .ping), .message("world")]),
        (.v4, "4hello\u{1E}bAQIDBA==", [.message("hello"), binary([1, 2, 3, 4])]),
        // socket.io-protocol v5 "Sample session", request n°5.
        (.v4, "42[\"hello\"]\u{1E}42[\"world\"]", [.message("2[\"hello\"]"), .message("2[\"world\"]")]),
        // engine.io-parser's payload test of all types.
        (.v4, "0\u{1E}1\u{1E}2probe\u{1E}3probe\u{1E}4test", [
            EngineIOPacket(type: .open), EngineIOPacket(type: .close), EngineIOPacket(type: .ping, data: .text("probe")),
            EngineIOPacket(type: .pong, data: .text("probe")), .message("test"),
        ]),
        // v3 "Sample session", requests n°1–3.
        (.v3, #"96:0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}"#, [
            EngineIOPacket(type: .open, data: .text(#"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}"#))
        ]),
        (.v3, "4:4hey", [.message("hey")]),
        (.v3, "6:4hello6:4world", [.message("hello"), .message("world")]),
        // v3 "Payload": characters, not bytes: `€` counts 1.
        (.v3, "6:4hello2:4€", [.message("hello"), .message("€")]),
        (.v3, "2:4€10:b4AQIDBA==", [.message("€"), binary([1, 2, 3, 4])]),
        // engine.io-parser 2.x: "should not utf8 encode when dealing with strings only".
        (.v3, "4:4€€€2:4α", [.message("€€€"), .message("α")]),
        // socket.io-protocol v4 "Sample session", requests n°1–3.
        (.v3, #"96:0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40"#, [
            EngineIOPacket(type: .open, data: .text(#"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}"#)),
            .message("0"),
        ]),
        (.v3, "16:42[\"hey\",\"Jude\"]", [.message("2[\"hey\",\"Jude\"]")]),
        (.v3, "11:42[\"hello\"]11:42[\"world\"]", [.message("2[\"hello\"]"), .message("2[\"world\"]")]),
        // Non-BMP characters are two UTF-16 code units each: "4😀" is 3, "4a😀é😀" is 7.
        (.v3, "3:4😀7:4a😀é😀1:6", [.message("😀"), .message("a😀é😀"), EngineIOPacket(type: .noop)]),
        (.v3, "0:", []),
        (.v3, "14:b2AAECA/7/AA==", [EngineIOPacket(type: .ping, data: .binary(ByteBuffer(bytes: [0, 1, 2, 3, 0xFE, 0xFF, 0])))]),
    ]

    @Test(arguments: textPayloads)
    func textPayloadsDecodeAndEncodeExactly(_ version: EngineIOVersion, _ body: String, _ packets: [EngineIOPacket]) throws {
        #expect(try EngineIOPayload.decode(ByteBuffer(string: body), version: version) == packets)
        #expect(String(buffer: try EngineIOPayload.encode(packets, version: version)) == body)
    }

    /// v3 "Payload", "Example with binary (both the client and the transport support binary)".
    @Test func v3BinaryPayloadFromTheDocument() throws {
        let body = ByteBuffer(bytes: [0x00, 0x04, 0xFF, 0x34, 0xE2, 0x82, 0xAC, 0x01, 0x05, 0xFF, 0x04, 0x01, 0x02, 0x03, 0x04])
        let packets = [EngineIOPacket.message("€"), Self.binary([1, 2, 3, 4])]
        #expect(try EngineIOPayload.decode(body, version: .v3, binary: true) == packets)
        #expect(try EngineIOPayload.encode(packets, version: .v3, binary: true) == body)
    }

    @Test func v3BinaryPayloadLengthsOfSeveralDigits() throws {
        let data = (0..<123).map { UInt8($0) }
        let packets = [Self.binary(data), .message("hello 亜"), EngineIOPacket(type: .close)]
        let body = try EngineIOPayload.encode(packets, version: .v3, binary: true)
        #expect(Array(buffer: body).prefix(5) == [0x01, 0x01, 0x02, 0x04, 0xFF])  // 1 + 123 = 124 bytes
        #expect(try EngineIOPayload.decode(body, version: .v3, binary: true) == packets)
    }

    @Test func encodingRefusesWhatTheFormatCannotCarry() {
        let v4Reason = "Engine.IO v4 has no binary (application/octet-stream) payload"
        #expect(throws: EngineIOError(offset: nil, reason: v4Reason)) { try EngineIOPayload.encode([.message("a")], version: .v4, binary: true) }
        #expect(throws: EngineIOError(offset: nil, reason: v4Reason)) { try EngineIOPayload.decode(ByteBuffer(string: "4a"), version: .v4, binary: true) }
        #expect(throws: EngineIOError(offset: nil, reason: "Engine.IO v4 carries binary data only in message packets, not in pong")) {
            try EngineIOPayload.encode([EngineIOPacket(type: .pong, data: .binary(ByteBuffer()))], version: .v4)
        }
    }

    static let malformed: [(EngineIOVersion, Bool, [UInt8], EngineIOError)] = [
        (.v4, false, [], EngineIOError(offset: 0, reason: "an empty payload")),
        (.v4, false, Array("4a\u{1E}\u{1E}2".utf8), EngineIOError(offset: 3, reason: "an empty packet")),
        (.v4, false, Array("4a\u{1E}".utf8), EngineIOError(offset: 3, reason: "an empty packet")),
        (.v4, false, Array("{}".utf8), EngineIOError(offset: 0, reason: "unknown packet type '{'")),
        (.v4, false, Array("4a\u{1E}bAQ*D".utf8), EngineIOError(offset: 6, reason: "'*' is not a base64 character")),
        (.v4, false, [0x34, 0xC0, 0x80], EngineIOError(offset: 1, reason: "a text payload that is not UTF-8")),
        (.v3, false, [], EngineIOError(offset: 0, reason: "an empty payload")),
        // engine.io-parser 2.x "should err on bad payload format / length / packet format".
        (.v3, false, Array("1!".utf8), EngineIOError(offset: 1, reason: "expected a length digit or ':', found '!'")),
        (.v3, false, Array("))".utf8), EngineIOError(offset: 0, reason: "expected a length digit or ':', found ')'")),
        (.v3, false, Array("1:".utf8), EngineIOError(offset: 2, reason: "a packet of length 1 with only 0 characters left in the payload")),
        (.v3, false, Array("3:99:".utf8), EngineIOError(offset: 2, reason: "unknown packet type '9'")),
        (.v3, false, Array("1:aa".utf8), EngineIOError(offset: 2, reason: "unknown packet type 'a'")),
        (.v3, false, Array("1:a2:b".utf8), EngineIOError(offset: 2, reason: "unknown packet type 'a'")),
        (.v3, false, Array(":4a".utf8), EngineIOError(offset: 0, reason: "':' without a length before it")),
        (.v3, false, Array("12".utf8), EngineIOError(offset: 0, reason: "a length without ':' and packet")),
        (.v3, false, Array("2:4😀".utf8), EngineIOError(offset: 3, reason: "a packet length of 2 ends inside a surrogate pair")),
        (.v3, false, Array("1234567890123456:4".utf8), EngineIOError(offset: 0, reason: "a length of more than 15 digits")),
        (.v3, false, Array("2:b9".utf8), EngineIOError(offset: 3, reason: "a base64 packet without a packet type digit after 'b'")),
        (.v3, false, Array("4:b4A=".utf8), EngineIOError(offset: 4, reason: "a lone base64 character in the last group")),
        (.v3, true, [0x02, 0x01, 0xFF, 0x34], EngineIOError(offset: 0, reason: "a binary payload entry starting with byte 0x2, not 0 (text) or 1 (binary)")),
        (.v3, true, [0x00, 0x01, 0x0A, 0xFF], EngineIOError(offset: 2, reason: "a length digit byte 0xA, not 0–9 or the 0xFF separator")),
        (.v3, true, [0x00, 0x01], EngineIOError(offset: 0, reason: "a binary payload entry without the 0xFF separator")),
        (.v3, true, [0x00, 0xFF, 0x34], EngineIOError(offset: 1, reason: "a binary payload entry without a length")),
        (.v3, true, [0x00, 0x05, 0xFF, 0x34], EngineIOError(offset: 0, reason: "a binary payload entry of 5 bytes with only 1 left")),
        (.v3, true, [0x00, 0x00, 0xFF], EngineIOError(offset: 3, reason: "an empty packet")),
        (.v3, true, [0x01, 0x00, 0xFF], EngineIOError(offset: 3, reason: "an empty binary entry")),
        (.v3, true, [0x01, 0x01, 0xFF, 0x09], EngineIOError(offset: 3, reason: "unknown packet type byte 0x9")),
        (.v3, true, [0x00, 0x02, 0xFF, 0x34, 0xFF], EngineIOError(offset: 4, reason: "a text entry that is not UTF-8")),
        (.v3, true, [0x00] + [UInt8](repeating: 9, count: 16) + [0xFF], EngineIOError(offset: 1, reason: "a length of more than 15 digits")),
    ]

    @Test(arguments: malformed)
    func malformedPayloads(_ version: EngineIOVersion, _ binary: Bool, _ body: [UInt8], _ expected: EngineIOError) {
        #expect(throws: expected) { try EngineIOPayload.decode(ByteBuffer(bytes: body), version: version, binary: binary) }
    }
}
