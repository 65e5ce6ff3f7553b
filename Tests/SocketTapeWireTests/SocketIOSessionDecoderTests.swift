import NIOCore
import SocketTapeWire
import Testing

struct SocketIOSessionDecoderTests {
    static func text(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }

    /// socket.io-protocol v5 "Sample session", requests n°1–5 and the WebSocket frames after
    /// the upgrade.
    @Test func v5SampleSession() throws {
        var decoder = SocketIOSessionDecoder(engineIO: try EngineIOVersion(requestTarget: "/socket.io/?EIO=4&transport=polling&t=N8hyd6w"))
        #expect(decoder.socketIOVersion == .v5)
        let open = decoder.decode(
            from: .server,
            pollingBody: Self.text(#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":1000000}"#)
        )
        #expect(open.count == 1)
        #expect(try open.first?.engineIO.map(EngineIOHandshake.init)?.sid == "lv_VI97HAXpY6yYWAAAC")
        #expect(open.first?.socketIO == SocketIOContent.none)
        #expect(decoder.decode(from: .client, pollingBody: Self.text("40")).map(\.socketIO) == [.packet(SocketIOPacket(type: .connect))])
        #expect(
            decoder.decode(from: .server, pollingBody: Self.text(#"40{"sid":"wZX3oN0bSVIhsaknAAAI"}"#)).map(\.socketIO)
                == [.packet(SocketIOPacket(type: .connect, data: ["sid": "wZX3oN0bSVIhsaknAAAI"]))]
        )
        let events = decoder.decode(from: .client, pollingBody: Self.text("42[\"hello\"]\u{1E}42[\"world\"]"))
        #expect(events.compactMap(\.socketIO.completedPacket?.event) == ["hello", "world"])

        func ws(_ sender: WebSocketRole, _ string: String) -> SocketIOSessionOutcome {
            decoder.decode(from: sender, transport: .websocket, opcode: .text, payload: Self.text(string))
        }
        #expect(ws(.client, "2probe") == SocketIOSessionOutcome(engineIO: EngineIOPacket(type: .ping, data: .text("probe"))))
        #expect(ws(.server, "3probe") == SocketIOSessionOutcome(engineIO: EngineIOPacket(type: .pong, data: .text("probe"))))
        #expect(ws(.client, "5") == SocketIOSessionOutcome(engineIO: EngineIOPacket(type: .upgrade)))
        #expect(ws(.client, "40/admin,").socketIO == .packet(SocketIOPacket(type: .connect, namespace: "/admin")))
        #expect(ws(.client, #"42/admin,1["tellme"]"#).socketIO == .packet(SocketIOPacket(type: .event, namespace: "/admin", id: 1, data: ["tellme"])))
        let header = SocketIOPacket(type: .binaryAck, namespace: "/admin", id: 1, attachments: 1, data: [["_placeholder": true, "num": 0]])
        #expect(ws(.server, #"461-/admin,1[{"_placeholder":true,"num":0}]"#).socketIO == .awaitingAttachments(header, count: 1))
        let attachment = decoder.decode(from: .server, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [0xCA, 0xFE]))
        var completed = header
        completed.data = [["$bytes": "yv4="]]
        #expect(attachment.engineIO == EngineIOPacket(type: .message, data: .binary(ByteBuffer(bytes: [0xCA, 0xFE]))))
        #expect(attachment.socketIO == .attachment(index: 0, count: 1, completed: completed))
        #expect(ws(.client, "2").engineIO?.type == .ping)
        #expect(ws(.server, "3").engineIO?.type == .pong)
        #expect(ws(.client, "1").engineIO?.type == .close)
        #expect(decoder.decode(from: .client, transport: .websocket, opcode: .close, payload: ByteBuffer()) == SocketIOSessionOutcome())
    }

    /// A header and its first attachment in a polling body, the second attachment after the
    /// upgrade to WebSocket; the other side's messages in between do not disturb it.
    @Test func attachmentsSplitAcrossPollingAndWebSocket() {
        var decoder = SocketIOSessionDecoder(engineIO: .v4)
        let polled = decoder.decode(
            from: .client,
            pollingBody: Self.text("452-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"a\":{\"_placeholder\":true,\"num\":1}}]\u{1E}bAQI=")
        )
        #expect(polled.count == 2)
        #expect(polled.map(\.error) == [nil, nil])
        guard case .awaitingAttachments(let header, count: 2)? = polled.first?.socketIO else {
            Issue.record("no header: \(polled)")
            return
        }
        #expect(header.event == "upload")
        #expect(polled.last?.socketIO == .attachment(index: 0, count: 2, completed: nil))
        let server = decoder.decode(from: .server, transport: .websocket, opcode: .text, payload: Self.text(#"42["progress",50]"#))
        #expect(server.socketIO.completedPacket?.event == "progress")
        let last = decoder.decode(from: .client, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [3]))
        guard case .attachment(index: 1, count: 2, let completed?) = last.socketIO else {
            Issue.record("not completed: \(last)")
            return
        }
        #expect(completed.data?.jsonText == #"["upload",{"$bytes":"AQI="},{"a":{"$bytes":"Aw=="}}]"#)
    }

    /// Socket.IO 2.x over Engine.IO v3: length-prefixed polling, `b4` base64, the XHR2 binary
    /// payload and WebSocket binary frames with the 0x04 type byte.
    @Test func v3SessionWithEveryBinaryForm() {
        var decoder = SocketIOSessionDecoder(engineIO: .v3)
        #expect(decoder.socketIOVersion == .v4)
        let first = decoder.decode(from: .client, pollingBody: Self.text("40:453-[\"up\",{\"_placeholder\":true,\"num\":0}]"))
        #expect(first.first?.error == nil)
        #expect(first.first?.socketIO.completedPacket == nil)
        #expect(decoder.decode(from: .client, pollingBody: Self.text("6:b4AQ==")).first?.socketIO == .attachment(index: 0, count: 3, completed: nil))
        let xhr2 = ByteBuffer(bytes: [0x01, 0x02, 0xFF, 0x04, 0x02])
        #expect(decoder.decode(from: .client, pollingBody: xhr2, binary: true).first?.socketIO == .attachment(index: 1, count: 3, completed: nil))
        let frame = decoder.decode(from: .client, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [0x04, 0x03]))
        #expect(frame.socketIO.completedPacket?.data == ["up", ["$bytes": "AQ=="]])
        #expect(decoder.decode(from: .server, transport: .websocket, opcode: .text, payload: Self.text("40/admin?token=1,")).socketIO
            == .packet(SocketIOPacket(type: .connect, namespace: "/admin?token=1")))
        #expect(decoder.decode(from: .server, transport: .websocket, opcode: .text, payload: Self.text(#"44/admin,"Not authorized""#)).socketIO
            == .packet(SocketIOPacket(type: .connectError, namespace: "/admin", data: "Not authorized")))
    }

    @Test func aBinaryMessageWithNothingPendingIsNotTheDefaultParser() {
        var decoder = SocketIOSessionDecoder(engineIO: .v4)
        // socket.io-msgpack-parser sends every packet as one binary message.
        let outcome = decoder.decode(from: .client, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [0x83, 0xA4, 0x74, 0x79, 0x70, 0x65, 0x02]))
        #expect(outcome.engineIO?.type == .message)
        #expect(outcome.socketIO == .none)
        #expect(outcome.error?.contains("not the default Socket.IO parser's format (socket.io-msgpack-parser or another custom parser?)") == true)
    }

    @Test func aTextMessageAbandonsAPendingPacketButIsDecoded() {
        var decoder = SocketIOSessionDecoder(engineIO: .v4)
        _ = decoder.decode(from: .server, transport: .websocket, opcode: .text, payload: Self.text(#"452-/x,["a",{"_placeholder":true,"num":0}]"#))
        _ = decoder.decode(from: .server, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [1]))
        let outcome = decoder.decode(from: .server, transport: .websocket, opcode: .text, payload: Self.text(#"42["b"]"#))
        #expect(outcome.socketIO.completedPacket?.event == "b")
        #expect(outcome.error == "Socket.IO: a text message arrived while BINARY_EVENT on /x still waited for attachment 2 of 2; that packet is abandoned")
        let stray = decoder.decode(from: .server, transport: .websocket, opcode: .binary, payload: ByteBuffer(bytes: [2]))
        #expect(stray.error?.hasPrefix("Socket.IO: a binary message with no BINARY_EVENT") == true)
    }

    @Test func errorsNameTheLayerAndTheOffsetInTheMessage() {
        var decoder = SocketIOSessionDecoder(engineIO: .v4)
        func ws(_ string: String) -> SocketIOSessionOutcome {
            decoder.decode(from: .client, transport: .websocket, opcode: .text, payload: Self.text(string))
        }
        #expect(ws("9") == SocketIOSessionOutcome(error: "Engine.IO: unknown packet type '9' (at byte 0)"))
        #expect(ws("bAQI=") == SocketIOSessionOutcome(error: "Engine.IO: unknown packet type 'b' (at byte 0)"))
        let badEvent = ws(#"42{"a":1}"#)
        #expect(badEvent.engineIO == .message(#"2{"a":1}"#))
        #expect(badEvent.error == "Socket.IO: EVENT payload must be an array, not an object (at byte 2)")
        #expect(ws("4").error == "Socket.IO: an empty packet (at byte 1)")
        #expect(ws(#"42["a""#).error == "Socket.IO: invalid JSON payload: unexpected end of the text in an array (at byte 6)")
        let polling = decoder.decode(from: .client, transport: .polling, opcode: .text, payload: Self.text("bAQ*D"))
        #expect(polling.error == "Engine.IO: '*' is not a base64 character (at byte 3)")
        #expect(decoder.decode(from: .client, pollingBody: ByteBuffer()) == [SocketIOSessionOutcome(error: "Engine.IO: an empty payload (at byte 0)")])
    }
}
