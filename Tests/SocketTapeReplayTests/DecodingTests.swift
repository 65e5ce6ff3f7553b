import NIOCore
import SocketTapeReplay
import SocketTapeTape
import SocketTapeWire
import Testing

struct DecodingTests {
    private static func record(_ session: String, _ millis: UInt64, _ body: TapeRecord.Body) -> TapeRecord {
        TapeRecord(session: session, time: RecordTime(wallMicros: 0, offsetNanos: millis * 1_000_000), body: body)
    }

    /// A session opened on polling (Socket.io) or WebSocket (plain), whose handshake succeeded.
    private static func open(_ session: String, engineIO: Int?) -> TapeRecord {
        let request = HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=polling", headers: [])
        let response = HTTPResponseRecord(status: engineIO == nil ? 101 : 200, headers: [])
        return record(
            session, 0,
            .open(SessionOpen(
                client: "127.0.0.1:5000", transport: engineIO == nil ? .websocket : .polling, upstream: "http://127.0.0.1:3000",
                request: request, response: response, engineIOVersion: engineIO))
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

    @Test func aPlanKeepsEachSessionsServerMessagesDecoded() {
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
        let plan = ReplayPlan(records: records)
        #expect(plan.scripts.map(\.session) == ["sio", "ws"])

        let sio = plan.scripts[0]
        #expect(sio.engineIO == .v4)
        let recorded = sio.recordedMessages
        // The open packet first; the ping is the replayer's own business, not compared.
        #expect(recorded.map(\.shape.description) == ["Engine.IO open", "/ CONNECT", #"/ "file""#])
        #expect(recorded.map(\.time) == [1_000_000, 4_000_000, 6_000_000])
        #expect(recorded.map(\.transport) == [.polling, .polling, .websocket])
        // The binary packet is one message: the header's payload and time, the attachment in place.
        #expect(recorded[2].content == .socketIO(SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["file", ["$bytes": "CQk="]])))
        #expect(String(buffer: recorded[2].payload) == #"451-["file",{"_placeholder":true,"num":0}]"#)
        #expect(sio.outgoing.map(\.message.text) == ["40"])
        #expect(sio.outgoing.map(\.offset) == [2_000_000])

        let ws = plan.scripts[1]
        #expect(ws.engineIO == nil)
        #expect(ws.recordedMessages.map(\.content) == [.json(["type": "hello"]), .binary(ByteBuffer(bytes: [1]))])
        #expect(ws.end == nil)
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
