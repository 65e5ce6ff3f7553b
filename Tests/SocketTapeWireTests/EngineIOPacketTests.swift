import NIOCore
import SocketTapeWire
import Testing

/// Exact bytes from engine.io-protocol: `main` (v4) README and the `v3` branch README.
struct EngineIOPacketTests {
    static let textPackets: [(String, EngineIOPacket)] = [
        // v4 "Protocol" table and "Heartbeat"/"Upgrade"; v3 "Encoding", "Packet" (0–6).
        ("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\"}", EngineIOPacket(type: .open, data: .text("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\"}"))),
        ("1", EngineIOPacket(type: .close)),
        ("2", EngineIOPacket(type: .ping)),
        ("2probe", EngineIOPacket(type: .ping, data: .text("probe"))),
        ("3probe", EngineIOPacket(type: .pong, data: .text("probe"))),
        ("4hello", .message("hello")),
        ("4HelloWorld", .message("HelloWorld")),
        ("4€ 😀", .message("€ 😀")),
        ("5", EngineIOPacket(type: .upgrade)),
        ("6", EngineIOPacket(type: .noop)),
    ]

    @Test(arguments: textPackets)
    func webSocketTextMessagesDecodeAndEncodeExactly(_ text: String, _ packet: EngineIOPacket) throws {
        #expect(try EngineIOPacket.decode(webSocketText: ByteBuffer(string: text)) == packet)
        for version in EngineIOVersion.allCases {
            #expect(try packet.webSocketMessage(version: version) == WebSocketMessage(opcode: .text, payload: ByteBuffer(string: text)))
        }
    }

    @Test func typeNamesAreDesignMdEioTypes() {
        #expect(EngineIOPacketType.allCases.map(\.name) == ["open", "close", "ping", "pong", "message", "upgrade", "noop"])
        #expect(EngineIOPacketType.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6])
        #expect(EngineIOPacketType(name: "noop") == .noop)
        #expect(EngineIOPacketType(name: "error") == nil)
    }

    /// v4 "Packet encoding", "WebSocket": "Binary payloads are sent as is"; v3 "Packet": the
    /// type in the first byte, `4|0|1|2|3|4|5`.
    @Test func binaryMessages() throws {
        let v4 = try EngineIOPacket.decode(webSocketBinary: ByteBuffer(bytes: [1, 2, 3, 4]), version: .v4)
        #expect(v4 == EngineIOPacket(type: .message, data: .binary(ByteBuffer(bytes: [1, 2, 3, 4]))))
        #expect(try v4.webSocketMessage(version: .v4) == WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: [1, 2, 3, 4])))

        let v3 = try EngineIOPacket.decode(webSocketBinary: ByteBuffer(bytes: [4, 0, 1, 2, 3, 4, 5]), version: .v3)
        #expect(v3 == EngineIOPacket(type: .message, data: .binary(ByteBuffer(bytes: [0, 1, 2, 3, 4, 5]))))
        #expect(try v3.webSocketMessage(version: .v3) == WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: [4, 0, 1, 2, 3, 4, 5])))

        #expect(try EngineIOPacket.decode(webSocketBinary: ByteBuffer(), version: .v4) == EngineIOPacket(type: .message, data: .binary(ByteBuffer())))
    }

    @Test func v4CannotCarryBinaryOutsideMessages() {
        let ping = EngineIOPacket(type: .ping, data: .binary(ByteBuffer(bytes: [1])))
        #expect(throws: EngineIOError(offset: nil, reason: "Engine.IO v4 carries binary data only in message packets, not in ping")) {
            try ping.webSocketMessage(version: .v4)
        }
        #expect(throws: Never.self) { try ping.webSocketMessage(version: .v3) }
    }

    static let malformedText: [([UInt8], EngineIOError)] = [
        ([], EngineIOError(offset: 0, reason: "an empty packet")),
        (Array("7".utf8), EngineIOError(offset: 0, reason: "unknown packet type '7'")),
        (Array("a123".utf8), EngineIOError(offset: 0, reason: "unknown packet type 'a'")),
        (Array("bAQID".utf8), EngineIOError(offset: 0, reason: "unknown packet type 'b'")),
        ([0x34, 0x61, 0xC3], EngineIOError(offset: 3, reason: "a text message that is not UTF-8")),
        ([0x34, 0xFF, 0x61], EngineIOError(offset: 1, reason: "a text message that is not UTF-8")),
    ]

    @Test(arguments: malformedText)
    func malformedTextMessages(_ bytes: [UInt8], _ expected: EngineIOError) {
        #expect(throws: expected) { try EngineIOPacket.decode(webSocketText: ByteBuffer(bytes: bytes)) }
    }

    @Test func malformedV3BinaryMessages() {
        #expect(throws: EngineIOError(offset: 0, reason: "an empty binary message (v3 needs a packet type byte)")) {
            try EngineIOPacket.decode(webSocketBinary: ByteBuffer(), version: .v3)
        }
        #expect(throws: EngineIOError(offset: 0, reason: "unknown packet type byte 0x34")) {
            try EngineIOPacket.decode(webSocketBinary: ByteBuffer(string: "4hi"), version: .v3)
        }
    }

    @Test func errorDescriptionsNameTheOffset() {
        #expect(EngineIOError(offset: 3, reason: "x").description == "Engine.IO: x (at byte 3)")
        #expect(EngineIOError(offset: nil, reason: "x").description == "Engine.IO: x")
    }

    @Test(arguments: [
        ("/socket.io/?EIO=4&transport=polling&t=N8hyd6w", EngineIOVersion.v4, EngineIOTransport.polling),
        ("/engine.io/?EIO=3&transport=websocket&sid=lv_VI97HAXpY6yYWAAAC", .v3, .websocket),
        ("/socket.io/?transport=polling&EIO=3#x", .v3, .polling),
    ])
    func versionAndTransportFromTheRequestTarget(_ target: String, _ version: EngineIOVersion, _ transport: EngineIOTransport) throws {
        #expect(try EngineIOVersion(requestTarget: target) == version)
        #expect(EngineIOTransport(requestTarget: target) == transport)
        #expect(SocketIOVersion(engineIO: version) == (version == .v3 ? .v4 : .v5))
    }

    @Test func unusableEIOParameters() {
        #expect(throws: EngineIOError(offset: nil, reason: "the request target has no EIO query parameter")) {
            try EngineIOVersion(requestTarget: "/socket.io/?transport=polling&XEIO=4")
        }
        #expect(throws: EngineIOError(offset: nil, reason: "EIO=5 is not a supported Engine.IO version (3 or 4)")) {
            try EngineIOVersion(requestTarget: "/socket.io/?EIO=5")
        }
        #expect(throws: EngineIOError(offset: nil, reason: "EIO= is not a supported Engine.IO version (3 or 4)")) {
            try EngineIOVersion(requestTarget: "/?EIO")
        }
        #expect(EngineIOTransport(requestTarget: "/socket.io/?EIO=3&transport=flashsocket") == nil)
    }
}

struct EngineIOHandshakeTests {
    /// v4 "Handshake" example, compacted as the server writes it (socket.io-protocol v5 "Sample session").
    @Test func v4Handshake() throws {
        let text = #"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}"#
        let packet = try EngineIOPacket.decode(webSocketText: ByteBuffer(string: text))
        let handshake = try EngineIOHandshake(packet)
        #expect(handshake == EngineIOHandshake(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 5000, maxPayload: 1_000_000))
        #expect(handshake.packet == packet)
    }

    /// v3 "Sample session with WebSocket only": no `upgrades`, no `maxPayload`.
    @Test func v3HandshakeWithoutUpgrades() throws {
        let packet = try EngineIOPacket.decode(webSocketText: ByteBuffer(string: #"0{"sid":"lv_VI97HAXpY6yYWAAAC","pingInterval":25000,"pingTimeout":5000}"#))
        let handshake = try EngineIOHandshake(packet)
        #expect(handshake == EngineIOHandshake(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: [], pingInterval: 25000, pingTimeout: 5000))
    }

    @Test(arguments: [
        (EngineIOPacket(type: .ping, data: .text("{}")), EngineIOError(offset: nil, reason: "a handshake needs an open packet with JSON data")),
        (EngineIOPacket(type: .open, data: .text("{\"sid\":1")), EngineIOError(offset: 9, reason: "handshake: unexpected end of the text in an object")),
        (EngineIOPacket(type: .open, data: .text("[]")), EngineIOError(offset: nil, reason: "the handshake is not a JSON object")),
        (EngineIOPacket(type: .open, data: .text("{\"sid\":1}")), EngineIOError(offset: nil, reason: "handshake field \"sid\" must be a string")),
        (
            EngineIOPacket(type: .open, data: .text(#"{"sid":"a","upgrades":[1],"pingInterval":1,"pingTimeout":1}"#)),
            EngineIOError(offset: nil, reason: "handshake field \"upgrades\" must be an array of strings")
        ),
        (
            EngineIOPacket(type: .open, data: .text(#"{"sid":"a","pingInterval":-1,"pingTimeout":1}"#)),
            EngineIOError(offset: nil, reason: "handshake field \"pingInterval\" must be a non-negative integer")
        ),
        (
            EngineIOPacket(type: .open, data: .text(#"{"sid":"a","pingInterval":1,"pingTimeout":1,"maxPayload":"1e6"}"#)),
            EngineIOError(offset: nil, reason: "handshake field \"maxPayload\" must be a non-negative integer")
        ),
    ])
    func badHandshakes(_ packet: EngineIOPacket, _ expected: EngineIOError) {
        #expect(throws: expected) { try EngineIOHandshake(packet) }
    }
}
