import NIOCore
import SocketTapeCapture
import SocketTapeTape
import SocketTapeWire
import Testing

/// Drives a ``CaptureDecoder`` with the events the reassembler would produce for one connection.
private struct Conversation {
    var decoder = CaptureDecoder(options: CaptureDecoderOptions(), startWallMicros: 1_000_000, sessionPrefix: "t")
    let client = IPEndpoint(address: [127, 0, 0, 1], port: 50000)
    let server = IPEndpoint(address: [127, 0, 0, 1], port: 3000)
    var clock: Int64 = 1_000_000
    var nextID: UInt64 = 0

    mutating func open(handshakeSeen: Bool = true) -> TCPConnectionID {
        nextID += 1
        let id = TCPConnectionID(nextID)
        decoder.process(.opened(id, client: client, server: server, handshakeSeen: handshakeSeen, wallMicros: tick()))
        return id
    }

    mutating func send(_ id: TCPConnectionID, _ direction: TCPDirection, _ bytes: ByteBuffer) {
        decoder.process(.data(id, direction, bytes, wallMicros: tick()))
    }

    mutating func send(_ id: TCPConnectionID, _ direction: TCPDirection, _ text: String) {
        send(id, direction, ByteBuffer(string: text))
    }

    mutating func tick() -> Int64 {
        clock += 1000
        return clock
    }

    mutating func bodies() -> [TapeRecord.Body] {
        decoder.takeRecords().map(\.body)
    }
}

private let upgradeRequest = "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer secret\r\n\r\n"
private let upgradeResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"

private func text(_ text: String, mask: UInt32? = nil, fin: Bool = true, opcode: UInt8 = 1) -> ByteBuffer {
    WebSocketFrameEncoder.encode(opcode: opcode, payload: ByteBuffer(string: text), fin: fin, maskingKey: mask)
}

@Suite struct CaptureDecoderTests {
    @Test func aWebSocketSessionBecomesTheRecordsTheProxyWrites() throws {
        var conversation = Conversation()
        let id = conversation.open()
        // The request arrives in two pieces; the 101 comes with the server's first frame behind it.
        conversation.send(id, .clientToServer, String(upgradeRequest.prefix(20)))
        conversation.send(id, .clientToServer, String(upgradeRequest.dropFirst(20)))
        var answer = ByteBuffer(string: upgradeResponse)
        var hello = text("hello")
        answer.writeBuffer(&hello)
        conversation.send(id, .serverToClient, answer)
        var fragments = text("fragm", mask: 0x0102_0304, fin: false)
        var rest = text("ented", mask: 0x0506_0708, opcode: 0)
        fragments.writeBuffer(&rest)
        conversation.send(id, .clientToServer, fragments)
        conversation.send(id, .clientToServer, WebSocketFrameEncoder.closeFrame(code: 1000, reason: "bye", maskingKey: 9))
        conversation.send(id, .serverToClient, WebSocketFrameEncoder.closeFrame(code: 1000, reason: "bye", maskingKey: nil))
        conversation.decoder.process(.closed(id, .serverToClient, reset: false, wallMicros: conversation.tick()))
        conversation.decoder.process(.closed(id, .clientToServer, reset: false, wallMicros: conversation.tick()))

        let records = conversation.decoder.takeRecords()
        #expect(Set(records.map(\.session)) == ["t-1"])
        guard case .open(let open) = records[0].body else { Issue.record("no open record"); return }
        #expect(open.client == "127.0.0.1:50000")
        #expect(open.upstream == "ws://127.0.0.1:3000")
        #expect(open.transport == .websocket)
        #expect(open.request.target == "/chat?room=1")
        #expect(open.request.headers.last == HeaderField("Authorization", "[redacted]"))
        #expect(open.response?.status == 101)
        #expect(open.engineIOVersion == nil)
        #expect(records[0].time == RecordTime(wallMicros: 1_003_000, offsetNanos: 3_000_000))

        let messages = records.compactMap { record -> MessageRecord? in
            if case .message(let message) = record.body { message } else { nil }
        }
        #expect(messages.map(\.from) == [.server, .client, .client, .server])
        #expect(messages.map(\.opcode) == [1, 1, 8, 8])
        #expect(messages[0].payload == ByteBuffer(string: "hello"))
        #expect(messages[1].payload == ByteBuffer(string: "fragmented"))
        #expect(messages[1].frames == 2)
        let frames = records.compactMap { record -> FrameInfo? in
            if case .frame(let frame) = record.body { frame } else { nil }
        }
        #expect(frames.map(\.maskingKey) == [nil, 0x0102_0304, 0x0506_0708, 9, nil])
        #expect(records.last?.body == .close(SessionClose(by: .client, code: 1000, reason: "bye", error: nil)))
    }

    @Test func aPollingSessionFollowsItsSidAcrossConnectionsAndUpgrades() throws {
        var conversation = Conversation()
        let handshake = conversation.open()
        conversation.send(handshake, .clientToServer, "GET /socket.io/?EIO=4&transport=polling&t=1 HTTP/1.1\r\nHost: h\r\n\r\n")
        let open = #"0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
        conversation.send(handshake, .serverToClient, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: \(open.utf8.count)\r\n\r\n\(open)")
        let post = conversation.open()
        let connect = #"40{"token":"secret"}"#
        conversation.send(post, .clientToServer, "POST /socket.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: \(connect.utf8.count)\r\n\r\n\(connect)")
        conversation.send(post, .serverToClient, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let webSocket = conversation.open()
        conversation.send(webSocket, .clientToServer, "GET /socket.io/?EIO=4&transport=websocket&sid=abc HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        conversation.send(webSocket, .serverToClient, upgradeResponse)
        conversation.send(webSocket, .clientToServer, text("2probe", mask: 1))
        conversation.send(webSocket, .serverToClient, text("3probe"))
        conversation.send(webSocket, .clientToServer, text("1", mask: 2))
        conversation.decoder.process(.closed(webSocket, .clientToServer, reset: false, wallMicros: conversation.tick()))
        conversation.decoder.process(.closed(webSocket, .serverToClient, reset: false, wallMicros: conversation.tick()))

        let records = conversation.decoder.takeRecords()
        #expect(Set(records.map(\.session)) == ["t-1"])
        let kinds = records.map { record -> String in
            switch record.body {
            case .open(let open): "open \(open.transport.name) EIO \(open.engineIOVersion ?? 0)"
            case .http: "http"
            case .upgrade: "upgrade"
            case .message(let message): "\(message.from.name) \(message.transport.name) \(String(buffer: message.payload))"
            case .frame: "frame"
            case .close(let close): "close \(close.by.name) \(close.error ?? "")"
            default: "other"
            }
        }
        #expect(kinds == [
            "open polling EIO 4",
            "server polling " + open,
            "http",
            #"client polling 40{"token":"[redacted]"}"#,
            "upgrade",
            "frame", "client websocket 2probe",
            "frame", "server websocket 3probe",
            "frame", "client websocket 1",
            "close client client closed the connection without a close frame",
        ])
    }

    @Test func aHoleInAWebSocketStreamIsRecordedAndDecodingResumesAtTheNextFrame() {
        var conversation = Conversation()
        let id = conversation.open()
        conversation.send(id, .clientToServer, upgradeRequest)
        conversation.send(id, .serverToClient, upgradeResponse)
        var partial = text("lost in the hole", mask: 7)
        partial.moveWriterIndex(to: partial.writerIndex - 4)
        conversation.send(id, .clientToServer, partial)
        conversation.decoder.process(.gap(id, .clientToServer, byteCount: 4, wallMicros: conversation.tick()))
        // After the hole: the tail of another frame, then whole frames.
        var after = ByteBuffer(bytes: [0x55, 0x66, 0x77])
        var next = text("after", mask: 8)
        var more = text("more", mask: 9)
        after.writeBuffer(&next)
        after.writeBuffer(&more)
        conversation.send(id, .clientToServer, after)

        let bodies = conversation.bodies()
        let payloads = bodies.compactMap { body -> String? in
            if case .message(let message) = body { String(buffer: message.payload) } else { nil }
        }
        #expect(payloads == ["after", "more"])
        #expect(bodies.contains(.policy(PolicyDecision(
            from: .client, rule: "capture-gap", action: "skip",
            detail: "4 byte(s) from the client were not captured; the message in progress is lost"
        ))))
        #expect(conversation.decoder.statistics.holes == 1)
        #expect(conversation.decoder.statistics.bytesMissed == 4)
        #expect(conversation.decoder.statistics.bytesSkipped == 3)
    }

    @Test func aCaptureThatBeganMidSessionStillYieldsItsMessages() {
        var conversation = Conversation()
        let id = conversation.open(handshakeSeen: false)
        var bytes = text("mid", mask: 3)
        var second = text("stream", mask: 4)
        bytes.writeBuffer(&second)
        conversation.send(id, .clientToServer, bytes)
        conversation.send(id, .serverToClient, text("answer"))
        conversation.decoder.process(.unfinished(id, wallMicros: conversation.tick()))

        let bodies = conversation.bodies()
        guard case .open(let open) = bodies.first else { Issue.record("no open record"); return }
        #expect(open.response == nil)
        let payloads = bodies.compactMap { body -> String? in
            if case .message(let message) = body { "\(message.from.name) \(String(buffer: message.payload))" } else { nil }
        }
        #expect(payloads == ["client mid", "client stream", "server answer"])
        #expect(bodies.last == .close(SessionClose(by: .proxy, code: nil, reason: "", error: "the capture ended with the session open")))
    }

    @Test func aProtocolViolationIsLoggedNotFatal() {
        var conversation = Conversation()
        let id = conversation.open()
        conversation.send(id, .clientToServer, upgradeRequest)
        conversation.send(id, .serverToClient, upgradeResponse)
        var bytes = text("unmasked")  // a client frame must be masked
        var good = text("fine", mask: 5)
        bytes.writeBuffer(&good)
        conversation.send(id, .clientToServer, bytes)

        let bodies = conversation.bodies()
        #expect(bodies.contains(.policy(PolicyDecision(
            from: .client, rule: "protocol", action: "log",
            detail: "client frame is not masked (close code 1002); decoding goes on at the next frame found"
        ))))
        let payloads = bodies.compactMap { body -> String? in
            if case .message(let message) = body { String(buffer: message.payload) } else { nil }
        }
        #expect(payloads == ["fine"])
    }

    @Test func tlsAndOtherProtocolsAreCountedNotDecoded() {
        var conversation = Conversation()
        let id = conversation.open()
        conversation.send(id, .clientToServer, ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]))
        #expect(conversation.bodies().isEmpty)
        #expect(conversation.decoder.statistics.undecodedConnections == 1)
        #expect(conversation.decoder.statistics.undecodedExample == "127.0.0.1:50000 → 127.0.0.1:3000: TLS: the traffic is encrypted and cannot be decoded without its keys")
    }

    @Test func aPlainHTTPExchangeIsAnHTTPRecordOfItsOwn() {
        var conversation = Conversation()
        let id = conversation.open()
        conversation.send(id, .clientToServer, "GET /health HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n")
        conversation.send(id, .serverToClient, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        let records = conversation.decoder.takeRecords()
        #expect(records.map(\.session) == ["t-1", "t-2"])
        #expect(records.map(\.body) == [
            .http(HTTPExchange(
                request: HTTPRequestRecord(method: "GET", target: "/health", headers: [HeaderField("Host", "h")]),
                response: HTTPResponseRecord(status: 200, headers: [HeaderField("Content-Length", "2")], body: ByteBuffer(string: "ok"))
            )),
            .http(HTTPExchange(
                request: HTTPRequestRecord(method: "GET", target: "/two", headers: [HeaderField("Host", "h")]),
                response: HTTPResponseRecord(status: 404, headers: [HeaderField("Content-Length", "0")])
            )),
        ])
    }

    @Test func aRequestWhoseAnswerNeverCameIsRecordedWithoutOne() {
        var conversation = Conversation()
        let id = conversation.open()
        conversation.send(id, .clientToServer, "POST /socket.io/?EIO=4&transport=polling&sid=gone HTTP/1.1\r\nHost: h\r\nContent-Length: 18\r\n\r\n42[\"last\",\"words\"]")
        conversation.decoder.process(.closed(id, .clientToServer, reset: true, wallMicros: conversation.tick()))
        let bodies = conversation.bodies()
        guard case .open(let open) = bodies.first else { Issue.record("no open record: \(bodies)"); return }
        #expect(open.response == nil && open.request.method == "POST")
        #expect(bodies.contains(.message(MessageRecord(
            from: .client, opcode: 1, payload: ByteBuffer(string: #"42["last","words"]"#), frames: 0, compressed: false, transport: .polling
        ))))
    }
}
