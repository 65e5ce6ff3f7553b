import NIOCore
import SocketTapeWire
import Testing

/// Random and mutated input into every decoder: each must return or throw, never trap.
struct CodecFuzzTests {
    /// Bytes biased toward the characters these formats care about, so the decoders get past
    /// their first checks often.
    static func randomInput(_ random: inout Xorshift64) -> [UInt8] {
        let interesting = Array(#"0123456789-/,[]{}":b\u4e"#.utf8) + [0x1E, 0xFF, 0x00, 0x01, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80]
        let count = Int(random.next() % 48)
        return (0..<count).map { _ in
            let draw = random.next()
            return draw % 3 == 0 ? UInt8(truncatingIfNeeded: draw >> 8) : interesting[Int(draw >> 8 % UInt64(interesting.count))]
        }
    }

    static let seeds = [
        #"42["chat",{"roomId":"r1","text":"hello world"}]"#, #"451-/a,7["x",{"_placeholder":true,"num":0}]"#,
        "2:4€10:b4AQIDBA==", "4hello\u{1E}bAQIDBA==", #"0{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":2}"#,
    ]

    @Test func randomBytesNeverTrap() throws {
        var random = Xorshift64(seed: 0x5EED)
        var decoders = EngineIOVersion.allCases.map { SocketIOSessionDecoder(engineIO: $0) }
        for round in 0..<20_000 {
            var input = Self.randomInput(&random)
            if round % 2 == 0, !input.isEmpty {
                // Mutate a valid packet instead: overwrite a few bytes and cut it short.
                var seed = Array(Self.seeds[round / 2 % Self.seeds.count].utf8)
                for byte in input.prefix(3) { seed[Int(byte) % seed.count] = input[input.count / 2] }
                input = Array(seed.prefix(Int(random.next() % UInt64(seed.count + 1))))
            }
            let buffer = ByteBuffer(bytes: input)
            _ = try? JSONValue(parsing: input)
            _ = try? Base64.decode(buffer)
            _ = try? EngineIOPacket.decode(webSocketText: buffer)
            for version in EngineIOVersion.allCases {
                _ = try? EngineIOPacket.decode(webSocketBinary: buffer, version: version)
                _ = try? EngineIOPayload.decode(buffer, version: version)
                _ = try? EngineIOPayload.decode(buffer, version: version, binary: true)
            }
            for version in SocketIOVersion.allCases {
                if let packet = try? SocketIOPacket(decoding: buffer, version: version) {
                    // Whatever decodes re-encodes to text that decodes to the same packet.
                    #expect(try SocketIOPacket(decoding: packet.encodedText, version: version) == packet, "\(input)")
                    _ = try? packet.deconstructed()
                }
            }
            for index in decoders.indices {
                let sender: WebSocketRole = round % 3 == 0 ? .server : .client
                let opcode: WebSocketOpcode = round % 5 == 0 ? .binary : .text
                _ = decoders[index].decode(from: sender, transport: round % 7 == 0 ? .polling : .websocket, opcode: opcode, payload: buffer)
                _ = decoders[index].decode(from: sender, pollingBody: buffer, binary: round % 11 == 0)
            }
        }
    }

    @Test func decodedJSONReencodesToAnEqualValue() throws {
        var random = Xorshift64(seed: 7)
        for _ in 0..<20_000 {
            let input = Self.randomInput(&random)
            if let value = try? JSONValue(parsing: input) {
                #expect(try JSONValue(parsing: value.jsonText) == value)
            }
        }
    }
}

/// A small deterministic generator (xorshift64), so every run feeds the same bytes.
struct Xorshift64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed | 1
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
