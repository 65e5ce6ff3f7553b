import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

/// Records of hand-made Socket.io sessions, as the proxy would write them.
enum SocketIOTape {
    static let handshake = #"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#

    static func record(_ session: String, _ index: Int, _ body: TapeRecord.Body) -> TapeRecord {
        let offset = UInt64(index) * 1_000_000
        return TapeRecord(session: session, time: RecordTime(wallMicros: 1_795_651_200_000_000 + Int64(offset / 1000), offsetNanos: offset), body: body)
    }

    static func open(_ session: String, engineIO: Int?, transport: Transport = .polling, at index: Int = 0) -> TapeRecord {
        let target = engineIO.map { "/socket.io/?EIO=\($0)&transport=\(transport.name)" } ?? "/chat"
        return record(
            session, index,
            .open(
                SessionOpen(
                    client: "127.0.0.1:50000", transport: transport, upstream: "http://127.0.0.1:3000",
                    request: HTTPRequestRecord(method: "GET", target: target, headers: []), response: HTTPResponseRecord(status: 200, headers: []),
                    engineIOVersion: engineIO
                )
            )
        )
    }

    static func text(_ session: String, _ from: Peer, _ text: String, polling: Bool = false, at index: Int = 1) -> TapeRecord {
        record(
            session, index,
            .message(MessageRecord(from: from, opcode: 1, payload: ByteBuffer(string: text), frames: polling ? 0 : 1, compressed: false, transport: polling ? .polling : .websocket))
        )
    }

    static func binary(_ session: String, _ from: Peer, _ bytes: [UInt8], at index: Int = 1) -> TapeRecord {
        record(session, index, .message(MessageRecord(from: from, opcode: 2, payload: ByteBuffer(bytes: bytes), frames: 1, compressed: false)))
    }

    static func control(_ session: String, _ from: Peer, opcode: UInt8, at index: Int = 1) -> TapeRecord {
        record(session, index, .message(MessageRecord(from: from, opcode: opcode, payload: ByteBuffer(), frames: 1, compressed: false)))
    }

    static func upgrade(_ session: String, at index: Int = 1) -> TapeRecord {
        record(
            session, index,
            .upgrade(TransportUpgrade(transport: .websocket, request: HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=websocket", headers: []), response: nil))
        )
    }

    static func close(_ session: String, at index: Int = 1) -> TapeRecord {
        record(session, index, .close(SessionClose(by: .client, code: 1000, reason: "", error: nil)))
    }

    /// One v4 session over polling, upgraded to WebSocket: handshake, connects, events with and
    /// without acks, a binary event with two attachments, a refused namespace, bad packets.
    static let session: [TapeRecord] = {
        let s = "sio-1"
        let steps: [(Int) -> TapeRecord] = [
            { open(s, engineIO: 4, at: $0) },
            { text(s, .server, handshake, polling: true, at: $0) },
            { text(s, .client, "40", polling: true, at: $0) },
            { text(s, .server, #"40{"sid":"wZX3oN0bSVIhsaknAAAI"}"#, polling: true, at: $0) },
            { upgrade(s, at: $0) },
            { text(s, .client, "2probe", at: $0) },
            { text(s, .client, #"427["chat",{"text":"hi"}]"#, at: $0) },
            { text(s, .server, #"437[{"ok":true}]"#, at: $0) },
            { text(s, .client, #"452-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, at: $0) },
            { binary(s, .client, [1, 2, 3], at: $0) },
            { binary(s, .client, [4, 5, 6], at: $0) },
            { text(s, .client, #"40/admin,{"token":"wrong"}"#, at: $0) },
            { text(s, .server, #"44/admin,{"message":"Not authorized"}"#, at: $0) },
            { text(s, .client, #"42{"oops":1}"#, at: $0) },
            { text(s, .client, "9garbage", at: $0) },
            { text(s, .client, "41", at: $0) },
            { control(s, .client, opcode: 8, at: $0) },
            { close(s, at: $0) },
        ]
        return steps.enumerated().map { index, step in step(index) }
    }()

    /// Each record with its annotation, as one pass of the tape gives them.
    static func annotated(_ records: [TapeRecord]) -> [(TapeRecord, SocketIOAnnotation?)] {
        var annotator = SocketIOAnnotator()
        return records.map { ($0, annotator.annotate($0)) }
    }
}

@Suite struct SocketIOAnnotatorTests {
    @Test func aPlainWebSocketTapeGetsNoAnnotations() {
        var annotator = SocketIOAnnotator()
        #expect(annotator.annotate(SocketIOTape.open("ws", engineIO: nil, transport: .websocket)) == nil)
        #expect(annotator.annotate(SocketIOTape.text("ws", .client, #"42["chat"]"#)) == nil)
        #expect(annotator.openSessions == 0)
    }

    @Test func sessionsAreDecodedFromTheirOpenToTheirClose() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4))
        _ = annotator.annotate(SocketIOTape.open("b", engineIO: 3, transport: .websocket))
        #expect(annotator.openSessions == 2)
        #expect(annotator.annotate(SocketIOTape.text("a", .client, "40"))?.packet == SocketIOPacket(type: .connect))
        _ = annotator.annotate(SocketIOTape.close("a"))
        #expect(annotator.openSessions == 1)
        #expect(annotator.annotate(SocketIOTape.text("a", .client, "40")) == nil)
        // Another session's close leaves "b" alone; a session id used again without Engine.IO is not decoded.
        #expect(annotator.annotate(SocketIOTape.text("b", .client, "40")) != nil)
        _ = annotator.annotate(SocketIOTape.open("b", engineIO: nil, transport: .websocket))
        #expect(annotator.openSessions == 0)
        #expect(annotator.annotate(SocketIOTape.text("b", .client, "40")) == nil)
    }

    @Test func onlyVersions3And4AreDecoded() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("x", engineIO: 5))
        #expect(annotator.openSessions == 0)
        #expect(annotator.annotate(SocketIOTape.text("x", .client, "40")) == nil)
    }

    @Test func controlMessagesAreNotAnnotated() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4, transport: .websocket))
        for opcode: UInt8 in [8, 9, 10] {
            #expect(annotator.annotate(SocketIOTape.control("a", .client, opcode: opcode)) == nil)
        }
    }

    @Test func theProxysOwnPacketsDecodeWithoutTouchingTheServersAttachments() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4, transport: .websocket))
        _ = annotator.annotate(SocketIOTape.text("a", .server, #"451-["bin",{"_placeholder":true,"num":0}]"#))
        let notice = annotator.annotate(SocketIOTape.text("a", .proxy, #"42["dropped",{"rule":"r"}]"#))
        #expect(notice?.socketIO == .packet(SocketIOPacket(type: .event, data: ["dropped", ["rule": "r"]])))
        let attachment = annotator.annotate(SocketIOTape.binary("a", .server, [1, 2]))
        #expect(attachment?.attachmentHeader?.event == "bin")
    }

    @Test func eachSessionAndSideKeepsItsOwnAttachments() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4, transport: .websocket))
        _ = annotator.annotate(SocketIOTape.open("b", engineIO: 4, transport: .websocket))
        let headerA = annotator.annotate(SocketIOTape.text("a", .client, #"451-["up",{"_placeholder":true,"num":0}]"#))
        let headerB = annotator.annotate(SocketIOTape.text("b", .server, #"461-5[{"_placeholder":true,"num":0}]"#))
        #expect(headerA?.socketIO == .awaitingAttachments(SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["up", ["_placeholder": true, "num": 0]]), count: 1))
        #expect(headerB?.packet?.type == .binaryAck)
        // The other side of "a" sends meanwhile: its own, unrelated packet.
        #expect(annotator.annotate(SocketIOTape.text("a", .server, #"42["tick"]"#))?.packet?.eventName == "tick")
        let attachmentB = annotator.annotate(SocketIOTape.binary("b", .server, [0xBB]))
        #expect(attachmentB?.socketIO == .attachment(index: 0, count: 1, completed: SocketIOPacket(type: .binaryAck, id: 5, attachments: 1, data: [["$bytes": "uw=="]])))
        #expect(attachmentB?.attachmentHeader?.id == 5)
        let attachmentA = annotator.annotate(SocketIOTape.binary("a", .client, [0xAA]))
        #expect(attachmentA?.packet?.data == ["up", ["$bytes": "qg=="]])
        // Nothing waits any more: a further binary message is not the default parser's.
        let stray = annotator.annotate(SocketIOTape.binary("a", .client, [0x83]))
        #expect(stray?.packet == nil)
        #expect(stray?.socketIOError?.contains("not the default Socket.IO parser's format") == true)
        #expect(stray?.engineIOError == nil)
    }

    @Test func anAttachmentBeforeTheLastNamesItsHeader() {
        let annotations = SocketIOTape.annotated(SocketIOTape.session).compactMap(\.1)
        let first = annotations.first { if case .attachment(0, 2, nil) = $0.socketIO { true } else { false } }
        #expect(first?.attachmentHeader?.eventName == "upload")
        #expect(first?.packet?.attachments == 2)
    }

    @Test func theHandshakeIsReadAndABadOneIsAnEngineIOError() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4))
        let good = annotator.annotate(SocketIOTape.text("a", .server, SocketIOTape.handshake, polling: true))
        #expect(good?.handshake == EngineIOHandshake(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1_000_000))
        #expect(good?.hasError == false)
        let bad = annotator.annotate(SocketIOTape.text("a", .server, #"0{"sid":1}"#, polling: true))
        #expect(bad?.handshake == nil)
        #expect(bad?.engineIO?.type == .open)
        #expect(bad?.engineIOError == #"Engine.IO: handshake field "sid" must be a string"#)
    }

    @Test func errorsAreSplitByLayerAndACustomParserIsNamed() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4, transport: .websocket))
        let engineIO = annotator.annotate(SocketIOTape.text("a", .client, "9garbage"))
        #expect(engineIO == SocketIOAnnotation(engineIOError: "Engine.IO: unknown packet type '9' (at byte 0)"))
        let socketIO = annotator.annotate(SocketIOTape.text("a", .client, #"42{"oops":1}"#))
        #expect(socketIO == SocketIOAnnotation(engineIO: .message(#"2{"oops":1}"#), socketIOError: "Socket.IO: EVENT payload must be an array, not an object (at byte 2)"))
        let json = annotator.annotate(SocketIOTape.text("a", .client, #"4{"type":2,"data":["chat"]}"#))
        #expect(
            json?.socketIOError
                == "Socket.IO: unknown packet type '{' (at byte 1); not the default Socket.IO parser's format (a custom parser, such as socket.io-json-parser?)"
        )
    }

    /// Socket.IO 2.x over Engine.IO v3: a `b4` base64 attachment in a polling body, then one in a
    /// WebSocket binary message with the 0x04 type byte.
    @Test func engineIOVersion3() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("v3", engineIO: 3))
        let header = annotator.annotate(SocketIOTape.text("v3", .client, #"452-["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#, polling: true))
        #expect(header?.packet?.attachments == 2)
        #expect(annotator.annotate(SocketIOTape.text("v3", .client, "b4AQ==", polling: true))?.socketIO == .attachment(index: 0, count: 2, completed: nil))
        _ = annotator.annotate(SocketIOTape.upgrade("v3"))
        let last = annotator.annotate(SocketIOTape.binary("v3", .client, [4, 2]))
        #expect(last?.engineIO == EngineIOPacket(type: .message, data: .binary(ByteBuffer(bytes: [2]))))
        #expect(last?.packet?.data == ["up", ["$bytes": "AQ=="], ["$bytes": "Ag=="]])
        #expect(annotator.annotate(SocketIOTape.text("v3", .server, #"44"Not authorized""#))?.packet == SocketIOPacket(type: .connectError, data: "Not authorized"))
    }
}
