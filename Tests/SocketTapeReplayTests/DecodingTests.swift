import NIOCore
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire
import Testing

struct DecodingTests {
    private static func record(_ session: String, _ millis: UInt64, _ body: TapeRecord.Body) -> TapeRecord {
        TapeRecord(session: session, time: RecordTime(wallMicros: 0, offsetNanos: millis * 1_000_000), body: body)
    }

    private static func open(_ session: String, engineIO: Int?) -> TapeRecord {
        let request = HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=polling", headers: [])
        return record(
            session, 0,
            .open(SessionOpen(client: "127.0.0.1:5000", transport: .polling, upstream: "http://127.0.0.1:3000", request: request, response: nil, engineIOVersion: engineIO))
        )
    }

    private static func message(_ session: String, _ millis: UInt64, _ from: Peer, _ opcode: UInt8, _ bytes: [UInt8], polling: Bool = false) -> TapeRecord {
        record(
            session, millis,
            .message(MessageRecord(from: from, opcode: opcode, payload: ByteBuffer(bytes: bytes), frames: polling ? 0 : 1, compressed: false, transport: polling ? .polling : .websocket))
        )
    }

    private static func text(_ session: String, _ millis: UInt64, _ from: Peer, _ text: String, polling: Bool = false) -> TapeRecord {
        message(session, millis, from, 1, Array(text.utf8), polling: polling)
    }

    private static func close(_ session: String, _ millis: UInt64) -> TapeRecord {
        record(session, millis, .close(SessionClose(by: .client, code: 1000, reason: "", error: nil)))
    }

    @Test func theCollectorKeepsEachSessionsServerMessagesDecoded() {
        let records = [
            Self.open("sio", engineIO: 4),
            Self.open("ws", engineIO: nil),
            Self.text("sio", 1, .server, Fixtures.handshake("abc"), polling: true),
            Self.text("sio", 2, .client, "40", polling: true),
            Self.text("ws", 3, .server, #"{"type":"hello"}"#),
            Self.text("sio", 4, .server, "40{\"sid\":\"x\"}", polling: true),
            Self.text("sio", 5, .server, "2"),
            Self.text("sio", 6, .server, #"451-["file",{"_placeholder":true,"num":0}]"#),
            Self.message("sio", 7, .server, 2, [9, 9]),
            Self.message("ws", 8, .server, 9, []),
            Self.message("ws", 9, .server, 2, [1]),
            Self.close("sio", 10),
            Self.text("ws", 11, .proxy, "nope"),
        ]
        var collector = RecordedSessionCollector()
        var closed: [RecordedSession] = []
        for record in records {
            if let session = collector.add(record) { closed.append(session) }
        }
        let open = collector.finish()
        #expect(closed.map(\.session) == ["sio"])
        #expect(open.map(\.session) == ["ws"])
        #expect(collector.finish().isEmpty)

        let sio = closed[0]
        #expect(sio.engineIO == .v4)
        #expect(sio.expected.map(\.shape.description) == ["Engine.IO open", "/ CONNECT", "Engine.IO ping", #"/ "file""#])
        #expect(sio.expected.map(\.time) == [1_000_000, 4_000_000, 5_000_000, 6_000_000])
        #expect(sio.expected.map(\.transport) == [.polling, .polling, .websocket, .websocket])
        // The binary packet is one message: the header's payload and time, the attachment in place.
        #expect(sio.expected[3].content == .socketIO(SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["file", ["$bytes": "CQk="]])))
        #expect(String(buffer: sio.expected[3].payload) == #"451-["file",{"_placeholder":true,"num":0}]"#)

        let ws = open[0]
        #expect(ws.engineIO == nil)
        #expect(ws.expected.map(\.content) == [.json(["type": "hello"]), .binary(ByteBuffer(bytes: [1]))])
    }

    @Test func messagesThatDoNotDecodeKeepTheirRawContentAndSayWhy() {
        let messages = Fixtures.decode([.text("9garbage"), .text("4{not socket.io"), .binary([1])], engineIO: .v4)
        #expect(messages.map(\.content) == [.text("9garbage"), .text("4{not socket.io"), .binary(ByteBuffer(bytes: [1]))])
        #expect(
            messages.map(\.decodeError) == [
                "Engine.IO: unknown packet type '9' (at byte 0)",
                "Socket.IO: unknown packet type '{' (at byte 1)",
                "Socket.IO: a binary message with no BINARY_EVENT or BINARY_ACK waiting for attachments: not the default Socket.IO parser's format (socket.io-msgpack-parser or another custom parser?)",
            ]
        )
    }

    @Test func plainTextIsJSONOnlyForObjectsAndArrays() {
        #expect(Fixtures.plain(#"{"a":1}"#, "[1]", "1", #""s""#, "{bad").map(\.content) == [
            .json(["a": 1]), .json([1]), .text("1"), .text(#""s""#), .text("{bad"),
        ])
        #expect(Fixtures.plain(#"{"type":"join","event":"x"}"#, #"{"op":7,"kind":"k"}"#, "{}", #"["join",1]"#, "[1]", "x").map(\.shape.description) == [
            #"{"type":"join"}"#, #"{"kind":"k"}"#, "{…}", #"["join",…]"#, "[…]", "text",
        ])
    }
}
