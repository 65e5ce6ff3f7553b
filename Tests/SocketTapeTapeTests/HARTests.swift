import Foundation
import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

/// The HAR fixtures shaped like Chrome DevTools' export (`Fixtures/har/`).
private let harFixtures = String(#filePath.split(separator: "/Tests/").first!) + "/Fixtures/har/"

private func fixture(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: harFixtures + name)))
}

private func time(_ micros: Int64, _ nanos: UInt64) -> RecordTime {
    RecordTime(wallMicros: 1_795_694_400_000_000 + micros, offsetNanos: nanos)
}

@Suite struct HARTests {
    /// A plain WebSocket session: a text and a binary message, the client's close, the close record.
    static let session: [TapeRecord] = [
        TapeRecord(
            session: "S", time: time(1, 500),
            body: .open(
                SessionOpen(
                    client: "127.0.0.1:51000", transport: .websocket, upstream: "ws://127.0.0.1:9000",
                    request: HTTPRequestRecord(method: "GET", target: "/chat?room=1", headers: [HeaderField("Host", "example.com")]),
                    response: HTTPResponseRecord(status: 101, headers: [HeaderField("Upgrade", "websocket")])
                )
            )
        ),
        TapeRecord(session: "S", time: time(12_301, 12_300_000), body: .frame(FrameInfo(from: .client, opcode: 1, fin: true, rsv: 0, maskingKey: 1, payloadLength: 2))),
        TapeRecord(session: "S", time: time(12_301, 12_300_000), body: .message(MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "hi"), frames: 1, compressed: true))),
        TapeRecord(session: "S", time: time(20_000, 20_000_001), body: .message(MessageRecord(from: .server, opcode: 2, payload: ByteBuffer(bytes: [0, 1, 2]), frames: 2, compressed: false))),
        TapeRecord(session: "S", time: time(30_000, 30_000_000), body: .message(MessageRecord(from: .client, opcode: 8, payload: ByteBuffer(bytes: [0x03, 0xE8, 0x62, 0x79, 0x65]), frames: 1, compressed: false))),
        TapeRecord(session: "S", time: time(31_000, 31_000_000), body: .close(SessionClose(by: .client, code: 1000, reason: "bye", error: nil))),
    ]

    @Test func aSessionIsExactlyThisHAR() throws {
        let expected = #"""
            {"log":{"version":"1.2","creator":{"name":"sockettape","version":"1.1"},"entries":[{"startedDateTime":"2026-11-26T12:00:00.000Z","time":0,"request":{"method":"GET","url":"ws://example.com/chat?room=1","httpVersion":"HTTP/1.1","headers":[{"name":"Host","value":"example.com"}],"queryString":[{"name":"room","value":"1"}],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","headers":[{"name":"Upgrade","value":"websocket"}],"cookies":[],"content":{"size":0,"mimeType":""},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"blocked":-1,"dns":-1,"ssl":-1,"connect":-1,"send":0,"wait":0,"receive":0},"_resourceType":"websocket","_webSocketMessages":[{"type":"send","time":1795694400.012301,"opcode":1,"data":"hi","_sockettape":{"seq":1,"t":0.0123,"frames":1,"compressed":true}},{"type":"receive","time":1795694400.020000,"opcode":2,"data":"AAEC","_sockettape":{"seq":2,"t":0.020000001,"frames":2,"compressed":false}},{"type":"send","time":1795694400.030000,"opcode":8,"data":"A+hieWU=","_sockettape":{"seq":3,"t":0.03,"frames":1,"compressed":false}}],"_sockettape":{"session":"S","kind":"open","seq":0,"ts":"2026-11-26T12:00:00.000001Z","t":0.0000005,"client":"127.0.0.1:51000","upstream":"ws://127.0.0.1:9000","transport":"websocket","engineio":null,"records":[{"kind":"close","session":"S","ts":"2026-11-26T12:00:00.031000Z","t":0.031,"by":"client","code":1000,"reason":"bye","error":null,"seq":4}]}}],"_sockettape":{"version":1,"records":[]}}}

            """#
        #expect(String(decoding: HAR.encode(Self.session), as: UTF8.self) == expected)
    }

    @Test func tapeToHARToTapeKeepsEveryRecordButFrames() throws {
        for records in [Self.session, Fixtures.records, Self.socketIOSession] {
            let imported = try HAR.decode(HAR.encode(records), redaction: .none)
            #expect(imported.records == records.filter { if case .frame = $0.body { false } else { true } })
            #expect(imported.skippedEntries == 0)
        }
    }

    @Test func aSocketTapeHARComesBackByteIdentical() throws {
        for records in [Self.session, Fixtures.records, Self.socketIOSession] {
            let har = HAR.encode(records)
            #expect(HAR.encode(try HAR.decode(har, redaction: .none).records) == har)
        }
    }

    /// A Socket.io session that polls, then upgrades; a policy decision; a proxy message.
    static let socketIOSession: [TapeRecord] = {
        let polling = "/socket.io/?EIO=4&transport=polling"
        let sid = "&sid=kF3n"
        let headers = [HeaderField("Host", "localhost:8080"), HeaderField("Cookie", "[redacted]")]
        let ok = HTTPResponseRecord(status: 200, headers: [HeaderField("Content-Type", "text/plain; charset=UTF-8")], body: ByteBuffer(string: "ok"))
        func message(_ from: Peer, _ text: String, _ transport: Transport) -> TapeRecord.Body {
            .message(MessageRecord(from: from, opcode: 1, payload: ByteBuffer(string: text), frames: transport == .polling ? 0 : 1, compressed: false, transport: transport))
        }
        let bodies: [TapeRecord.Body] = [
            .open(
                SessionOpen(
                    client: "127.0.0.1:4000", transport: .polling, upstream: "ws://127.0.0.1:3000",
                    request: HTTPRequestRecord(method: "GET", target: polling, headers: headers),
                    response: HTTPResponseRecord(status: 200, headers: [], body: ByteBuffer(string: #"0{"sid":"kF3n","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}"#)),
                    engineIOVersion: 4
                )
            ),
            message(.server, #"0{"sid":"kF3n","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}"#, .polling),
            .http(HTTPExchange(request: HTTPRequestRecord(method: "POST", target: polling + sid, headers: headers, body: ByteBuffer(string: "40")), response: ok)),
            message(.client, "40", .polling),
            .upgrade(
                TransportUpgrade(
                    transport: .websocket, request: HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=websocket" + sid, headers: headers),
                    response: HTTPResponseRecord(status: 101, headers: [])
                )
            ),
            message(.client, "2probe", .websocket),
            .http(HTTPExchange(request: HTTPRequestRecord(method: "GET", target: polling + sid, headers: headers), response: HTTPResponseRecord(status: 200, headers: [], body: ByteBuffer(string: "6")))),
            message(.server, "6", .polling),
            message(.server, "3probe", .websocket),
            .policy(PolicyDecision(from: .client, rule: "rate-limit", action: "drop", detail: "2 msgs/s > 1", identity: "127.0.0.1")),
            message(.proxy, #"44{"message":"dropped"}"#, .websocket),
            .close(SessionClose(by: .client, code: 1000, reason: "", error: nil)),
        ]
        return bodies.enumerated().map { index, body in
            TapeRecord(session: "sio", time: time(Int64(index) * 1000, UInt64(index) * 1_000_000 + 7), body: body)
        }
    }()

    @Test func aSocketIOSessionExportsAsXHREntriesAndOneWebSocketEntry() throws {
        let entries = try #require(try JSONValue(parsing: HAR.encode(Self.socketIOSession)).objectValue?["log"]?.objectValue?["entries"]?.arrayValue)
            .compactMap(\.objectValue)
        #expect(entries.map { $0["_resourceType"]?.stringValue } == ["xhr", "xhr", "websocket", "xhr"])
        #expect(entries.map { $0["request"]?.objectValue?["url"]?.stringValue } == [
            "http://localhost:8080/socket.io/?EIO=4&transport=polling",
            "http://localhost:8080/socket.io/?EIO=4&transport=polling&sid=kF3n",
            "ws://localhost:8080/socket.io/?EIO=4&transport=websocket&sid=kF3n",
            "http://localhost:8080/socket.io/?EIO=4&transport=polling&sid=kF3n",
        ])
        let messages = try #require(entries[2]["_webSocketMessages"]?.arrayValue).compactMap(\.objectValue).map { message in
            "\(message["type"]?.stringValue ?? "") \(message["opcode"]?.intValue ?? 0) \(message["data"]?.stringValue ?? "")"
        }
        #expect(messages == [#"send 1 2probe"#, #"receive 1 3probe"#, #"receive 1 44{"message":"dropped"}"#])
        // The POST carries the client's packet; the packet itself rides along as a JSON Lines object.
        #expect(entries[1]["request"]?.objectValue?["postData"]?.jsonText == #"{"mimeType":"","text":"40"}"#)
        #expect(entries[1]["response"]?.objectValue?["content"]?.jsonText == #"{"size":2,"mimeType":"text/plain; charset=UTF-8","text":"ok"}"#)
        #expect(
            entries[1]["_sockettape"]?.objectValue?["records"]?.jsonText
                == #"[{"kind":"message","session":"sio","ts":"2026-11-26T12:00:00.003000Z","t":0.003000007,"from":"client","opcode":"text","text":"40","frames":0,"compressed":false,"transport":"polling","seq":3}]"#
        )
    }

    @Test(arguments: [
        (Int64(1_795_694_400_123_999), "2026-11-26T12:00:00.123Z", "1795694400.123999"),
        (Int64(-1), "1969-12-31T23:59:59.999Z", "-0.000001"),
    ])
    func startedDateTimeHasMillisecondsAndMessageTimesMicroseconds(_ wall: Int64, _ started: String, _ seconds: String) throws {
        let request = HTTPRequestRecord(method: "GET", target: "/", headers: [])
        let message = MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "a"), frames: 1, compressed: false)
        let records = [
            TapeRecord(session: "x", time: RecordTime(wallMicros: wall, offsetNanos: 0), body: .upgrade(TransportUpgrade(transport: .websocket, request: request, response: nil))),
            TapeRecord(session: "x", time: RecordTime(wallMicros: wall, offsetNanos: 0), body: .message(message)),
        ]
        let entry = try #require(try JSONValue(parsing: HAR.encode(records)).objectValue?["log"]?.objectValue?["entries"]?.arrayValue?.first?.objectValue)
        #expect(entry["startedDateTime"] == .string(started))
        #expect(entry["_webSocketMessages"]?.arrayValue?.first?.objectValue?["time"] == .number(seconds))
        #expect(try HAR.decode(HAR.encode(records), redaction: .none).records == records)
    }

    @Test func bodiesThatAreNotUTF8AreBase64() throws {
        let exchange = HTTPExchange(
            request: HTTPRequestRecord(method: "POST", target: "/p", headers: [HeaderField("Content-Type", "application/octet-stream")], body: ByteBuffer(bytes: [0xFF])),
            response: HTTPResponseRecord(status: 200, headers: [], body: ByteBuffer(bytes: [0, 1, 0xFF]))
        )
        let records = [TapeRecord(session: "x", time: time(0, 0), body: .http(exchange))]
        let entry = try #require(try JSONValue(parsing: HAR.encode(records)).objectValue?["log"]?.objectValue?["entries"]?.arrayValue?.first?.objectValue)
        #expect(entry["request"]?.objectValue?["postData"]?.jsonText == #"{"mimeType":"application/octet-stream","text":"/w==","_encoding":"base64"}"#)
        #expect(entry["response"]?.objectValue?["content"]?.jsonText == #"{"size":3,"mimeType":"","text":"AAH/","encoding":"base64"}"#)
        #expect(try HAR.decode(HAR.encode(records), redaction: .none).records == records)
    }

    @Test func aDevToolsWebSocketHARImports() throws {
        let imported = try HAR.decode(fixture("devtools-websocket.har"), redaction: .default)
        let request = HTTPRequestRecord(
            method: "GET", target: "/chat?room=1",
            headers: [
                HeaderField("Host", "localhost:8080"), HeaderField("Connection", "Upgrade"), HeaderField("Upgrade", "websocket"),
                HeaderField("Cookie", "[redacted]"), HeaderField("Sec-WebSocket-Version", "13"), HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ]
        )
        let response = HTTPResponseRecord(
            status: 101,
            headers: [HeaderField("Upgrade", "websocket"), HeaderField("Connection", "Upgrade"), HeaderField("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")]
        )
        func message(_ from: Peer, _ opcode: UInt8, _ payload: ByteBuffer) -> TapeRecord.Body {
            .message(MessageRecord(from: from, opcode: opcode, payload: payload, frames: 1, compressed: false))
        }
        let expected: [TapeRecord] = [
            TapeRecord(session: "har-1", time: time(50_000, 0), body: .open(SessionOpen(client: "0.0.0.0:0", transport: .websocket, upstream: "ws://127.0.0.1:8080", request: request, response: response))),
            TapeRecord(session: "har-1", time: time(52_123, 2_123_000), body: message(.client, 1, ByteBuffer(string: "hello"))),
            TapeRecord(session: "har-1", time: time(53_456, 3_456_000), body: message(.server, 1, ByteBuffer(string: "héllo ☃"))),
            TapeRecord(session: "har-1", time: time(100_000, 50_000_000), body: message(.client, 2, ByteBuffer(bytes: [0, 1, 2, 255]))),
            TapeRecord(session: "har-1", time: time(101_000, 51_000_000), body: message(.server, 2, ByteBuffer(bytes: [0, 1, 2, 255]))),
            TapeRecord(session: "har-1", time: time(101_000, 51_000_000), body: .close(SessionClose(by: .client, code: nil, reason: "", error: "unknown, not in the HAR"))),
        ]
        #expect(imported == HARImport(records: expected, sessions: 1, skippedEntries: 2))
        let unredacted = try HAR.decode(fixture("devtools-websocket.har"), redaction: .none)
        guard case .open(let open) = unredacted.records[0].body else { Issue.record("no open record"); return }
        #expect(open.request.headers[3] == HeaderField("Cookie", "session=s3cr3t"))
    }

    @Test func aDevToolsSocketIOHARImportsAsOneSocketIOSession() throws {
        let imported = try HAR.decode(fixture("devtools-socketio.har"), redaction: .default)
        #expect(imported.sessions == 1)
        #expect(imported.skippedEntries == 1)
        #expect(Set(imported.records.map(\.session)) == ["har-1"])
        // Offsets in tenths of a millisecond from the handshake's start.
        #expect(imported.records.map { Self.summary($0, header: 2) } == [
            "0 open polling EIO=4 /socket.io/?EIO=4&transport=polling&t=PJx1a2",
            #"32 server polling 0{"sid":"kF3nq7P1aQ2mZxYbAAAA","upgrades":["websocket"],"pingInterval":1000,"pingTimeout":3000,"maxPayload":1000000}"#,
            "100 http POST [redacted]",
            "100 client polling 40",
            "110 http GET [redacted]",
            #"140 server polling 40{"sid":"Wq2vB8sd0XhN9e6JAAAB"}"#,
            "200 upgrade websocket 101",
            "210 client websocket 2probe",
            "220 server websocket 3probe",
            "300 client websocket 5",
            "310 http GET [redacted]",
            "315 server polling 6",
            #"400 client websocket 420["chat","hi"]"#,
            #"420 server websocket 42["chat-reply","got: hi"]"#,
            #"430 server websocket 430[{"echo":"hi"}]"#,
            #"500 client websocket 421["join","r1"]"#,
            #"510 server websocket 431["joined r1"]"#,
            "600 client websocket 41",
            "600 close client unknown, not in the HAR",
        ])
    }

    @Test func aSocketTapeHARWithoutItsPrivateFieldsReadsLikeABrowsers() throws {
        let har = HAR.encode(Self.socketIOSession)
        var stripped: [UInt8] = []
        Self.withoutPrivateFields(try JSONValue(parsing: har)).write(to: &stripped)
        let imported = try HAR.decode(stripped, redaction: .none)
        #expect(imported.sessions == 1)
        #expect(imported.records.map { Self.summary($0, header: 1) } == [
            "0 open polling EIO=4 /socket.io/?EIO=4&transport=polling",
            #"0 server polling 0{"sid":"kF3n","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000}"#,
            "20 http POST [redacted]",
            "20 client polling 40",
            "40 upgrade websocket 101",
            "50 client websocket 2probe",
            "60 http GET [redacted]",
            "60 server polling 6",
            "80 server websocket 3probe",
            #"100 server websocket 44{"message":"dropped"}"#,
            "100 close client unknown, not in the HAR",
        ])
    }

    /// `value` with every `_sockettape` member removed, at any depth.
    private static func withoutPrivateFields(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object): .object(JSONObject(object.members.filter { $0.key != "_sockettape" }.map { ($0.key, withoutPrivateFields($0.value)) }))
        case .array(let elements): .array(elements.map(withoutPrivateFields))
        default: value
        }
    }

    /// One line per record: offset in tenths of a millisecond, kind and what matters of it
    /// (for `http`, the value of the request header at index `header`).
    private static func summary(_ record: TapeRecord, header: Int) -> String {
        let time = "\(record.time.offsetNanos / 100_000)"
        switch record.body {
        case .open(let open): return "\(time) open \(open.transport.name) EIO=\(open.engineIOVersion ?? 0) \(open.request.target)"
        case .http(let exchange): return "\(time) http \(exchange.request.method) \(exchange.request.headers[header].value)"
        case .upgrade(let upgrade): return "\(time) upgrade \(upgrade.transport.name) \(upgrade.response?.status ?? 0)"
        case .message(let message): return "\(time) \(message.from.name) \(message.transport.name) \(String(buffer: message.payload))"
        case .close(let close): return "\(time) close \(close.by.name) \(close.error ?? "")"
        default: return "\(time) unexpected"
        }
    }

    @Test(arguments: [
        ("{", "invalid JSON at byte 1: "),
        (#"{"log":{"version":"1.2"}}"#, #"not a HAR: no "log.entries" array"#),
        (#"[1]"#, #"not a HAR: no "log.entries" array"#),
        (
            #"{"log":{"entries":[{"_resourceType":"websocket","startedDateTime":"2026-11-26T12:00:00.000Z","request":{"method":"GET","url":"ws://h/"},"response":{"status":101},"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":"a"},{"type":"send","time":2,"opcode":2,"data":"!!"}]}]}}"#,
            #"log.entries[0]._webSocketMessages[1]: field "data" must be base64"#
        ),
        (
            #"{"log":{"entries":[{"_resourceType":"websocket","request":{"method":"GET","url":"ws://h/"},"response":{"status":101}}]}}"#,
            #"log.entries[0]: missing field "startedDateTime""#
        ),
        (
            #"{"log":{"entries":[{},{"_resourceType":"websocket","startedDateTime":"x","request":{"method":"GET","url":"ws://h/"},"response":{"status":101}}]}}"#,
            #"log.entries[0]: missing field "request""#
        ),
        (
            #"{"log":{"entries":[{"_resourceType":"websocket","startedDateTime":"2026-11-26T12:00:00.000Z","request":{"method":"GET","url":"ws://h/"},"response":{"status":101},"_webSocketMessages":[{"type":"sent","time":1,"opcode":1,"data":"a"}]}]}}"#,
            #"log.entries[0]._webSocketMessages[0]: field "type" must be "send" or "receive""#
        ),
    ])
    func badInputIsNamedPrecisely(_ input: String, _ message: String) throws {
        let error = #expect(throws: HARError.self) { try HAR.decode(Array(input.utf8), redaction: .default) }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }
}
