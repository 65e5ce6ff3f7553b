import NIOCore
import SocketTapeTape
import Testing

@Suite struct JSONLinesTests {
    @Test(arguments: Fixtures.records)
    func everyRecordRoundTrips(_ record: TapeRecord) throws {
        let line = JSONLines.encode(record)
        #expect(!line.contains("\n"))
        #expect(try JSONLines.decode(line, lineNumber: 1) == record, "\(line)")
    }

    static let canonicalLines = [
        #"{"kind":"open","session":"S","ts":"2026-11-26T12:00:00.000001Z","t":0.0,"client":"127.0.0.1:51000","transport":"websocket","upstream":"ws://127.0.0.1:9000","request":{"method":"GET","target":"/chat","headers":[["Host","example.com"],["Cookie","[redacted]"]]},"response":{"status":101,"headers":[]}}"#,
        #"{"kind":"open","session":"S2","ts":"2026-11-26T12:00:00.000000Z","t":0.5,"client":"[::1]:1","transport":"polling","upstream":"","request":{"method":"GET","target":"/socket.io/?EIO=4","headers":[],"body":"x"},"response":null}"#,
        #"{"kind":"frame","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":0.0123,"from":"client","opcode":"text","fin":true,"rsv":4,"mask":"0a0b0c0d","length":5}"#,
        #"{"kind":"frame","session":"S","ts":"1969-12-31T23:59:59.999999Z","t":18446744073.709551615,"from":"server","opcode":3,"fin":false,"rsv":0,"mask":null,"length":18446744073709551615}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":0.0123,"from":"client","opcode":"text","text":"hello \"wörld\" \\ \n\t\u0000\u001f 😀","frames":1,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":12.000000001,"from":"server","opcode":"text","base64":"//5B","frames":2,"compressed":true}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"server","opcode":"binary","base64":"","frames":0,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"client","opcode":"close","close":{"code":1000,"reason":"bye"},"frames":1,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"client","opcode":"close","close":{"code":null,"reason":""},"frames":1,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"client","opcode":"close","close":{"code":null,"reason":""},"base64":"Aw==","frames":1,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"client","opcode":"close","close":{"code":1001,"reason":"�"},"base64":"A+nD","frames":1,"compressed":false}"#,
        #"{"kind":"message","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"proxy","opcode":"ping","base64":"cGluZw==","frames":1,"compressed":false}"#,
        #"{"kind":"http","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"request":{"method":"POST","target":"/socket.io/?EIO=4&transport=polling","headers":[],"body":"40"},"response":{"status":200,"headers":[["Content-Type","text/plain"]],"body_base64":"AAH/"}}"#,
        #"{"kind":"http","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"request":{"method":"GET","target":"/","headers":[],"body":""},"response":null}"#,
        #"{"kind":"policy","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"from":"client","rule":"rate-limit","action":"drop","detail":"12 msgs/s > 10"}"#,
        #"{"kind":"close","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"by":"proxy","code":1000,"reason":"","error":null}"#,
        #"{"kind":"close","session":"S","ts":"2026-11-26T12:00:00.012301Z","t":1.0,"by":"server","code":null,"reason":"","error":"connection reset by peer"}"#,
        #"{"kind":"gap","session":"","ts":"294247-01-10T04:00:54.775807Z","t":0.0,"records":3,"bytes":1200,"reason":"tape writer queue full"}"#,
    ]

    @Test(arguments: canonicalLines)
    func linesReencodeByteIdentical(_ line: String) throws {
        #expect(JSONLines.encode(try JSONLines.decode(line, lineNumber: 1)) == line)
    }

    @Test func fieldsAreExact() throws {
        let record = try JSONLines.decode(Self.canonicalLines[3], lineNumber: 1)
        #expect(record.time == RecordTime(wallMicros: -1, offsetNanos: UInt64.max))
        let close = try JSONLines.decode(Self.canonicalLines[10], lineNumber: 1)
        let message = try #require(Self.message(close))
        #expect(message.payload == ByteBuffer(bytes: [0x03, 0xE9, 0xC3]))
    }

    private static func message(_ record: TapeRecord) -> MessageRecord? {
        guard case .message(let message) = record.body else { return nil }
        return message
    }

    @Test func handWrittenLinesWithoutSessionOrTimes() throws {
        let relative = try JSONLines.decode(#"{"kind":"message","t":1.5,"from":"client","opcode":"text","text":"hi"}"#, lineNumber: 1)
        #expect(relative.session == "default")
        #expect(relative.time == RecordTime(wallMicros: 1_500_000, offsetNanos: 1_500_000_000))
        #expect(relative.body == .message(MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "hi"), frames: 1, compressed: false)))

        let start: Int64 = 1_795_000_000_000_000
        let shifted = try JSONLines.decode(#"{"kind":"close","t":2,"by":"client"}"#, lineNumber: 1, tapeStart: start)
        #expect(shifted.time == RecordTime(wallMicros: start + 2_000_000, offsetNanos: 2_000_000_000))

        let wallOnly = try JSONLines.decode(#"{"kind":"gap","ts":"2026-11-26T12:00:00+01:00","records":1}"#, lineNumber: 1, tapeStart: start)
        #expect(wallOnly.session == "")
        #expect(wallOnly.time.wallMicros == 1_795_690_800_000_000)
        #expect(wallOnly.time.offsetNanos == UInt64(1_795_690_800_000_000 - start) * 1000)

        let exponent = try JSONLines.decode(#"{"kind":"close","t":1e-3,"by":"client"}"#, lineNumber: 1)
        #expect(exponent.time.offsetNanos == 1_000_000)
    }

    @Test(arguments: [
        (#"{"kind":"message","from":"browser","opcode":"text","text":"x"}"#, #"line 12: field "from" must be "client", "server" or "proxy""#),
        (#"{"kind":"message","from":"client","text":"x"}"#, #"line 12: missing field "opcode""#),
        (#"{"kind":"message","from":"client","opcode":"text"}"#, #"line 12: a message needs "text", "base64" or (for close) "close""#),
        (#"{"kind":"message","from":"client","opcode":"bin","text":"x"}"#, #"line 12: field "opcode" must be continuation, text, binary, close, ping, pong or a number from 0 to 15"#),
        (#"{"kind":"message","from":"client","opcode":"binary","base64":"***"}"#, #"line 12: field "base64" must be base64"#),
        (#"{"kind":"teleport"}"#, #"line 12: field "kind" must be one of open, frame, message, http, policy, close, upgrade, gap"#),
        (#"{"kind":"open","request":{"method":"GET","target":7}}"#, #"line 12: field "request.target" must be a string"#),
        (#"{"kind":"open","request":{"method":"GET","target":"/","headers":[["a"]]}}"#, #"line 12: field "request.headers" must be an array of [name, value] pairs"#),
        (#"{"kind":"close","by":"client","code":70000}"#, #"line 12: field "code" must be an integer from 0 to 65535"#),
        (#"{"kind":"close","by":"client","ts":"yesterday"}"#, #"line 12: field "ts" must be an RFC 3339 time such as "2026-11-26T12:00:00.000001Z""#),
        (#"{"kind":"close","by":"client","t":-1}"#, #"line 12: field "t" must be a number of seconds from 0"#),
        (#"{"kind":"frame","from":"client","opcode":1,"mask":"xyz","length":1}"#, #"line 12: field "mask" must be 8 hex digits or null"#),
        (#"{"kind":"message","from":"client","opcode":"close","close":{"code":null,"reason":"x"}}"#, #"line 12: field "close.reason" must be empty when "close.code" is null"#),
        (#"{"kind":"close","by":"client""#, #"line 12: invalid JSON at column 30: unexpected end of the text in an object"#),
        (#"[1,2]"#, #"line 12: not a JSON object"#),
        (#"{"kind":"message","text":"\ud800"}"#, #"line 12: invalid JSON at column 27: lone surrogate \ud800"#),
    ])
    func errorsNameTheLineAndField(_ line: String, _ message: String) {
        #expect(throws: JSONLinesError.self) { try JSONLines.decode(line, lineNumber: 12) }
        do {
            _ = try JSONLines.decode(line[...], lineNumber: 12)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func controlCharactersAreEscaped() {
        let record = TapeRecord(
            session: "\u{1}\"\\",
            time: RecordTime(wallMicros: 0, offsetNanos: 0),
            body: .gap(Gap(records: 0, bytes: 0, reason: "\r\u{7F}é"))
        )
        #expect(
            JSONLines.encode(record)
                == #"{"kind":"gap","session":"\u0001\"\\","ts":"1970-01-01T00:00:00.000000Z","t":0.0,"records":0,"bytes":0,"reason":"\r"# + "\u{7F}é\"}"
        )
    }

    @Test(arguments: [(0, "0.0"), (12_300_000, "0.0123"), (12_000_000_001, "12.000000001"), (1_000_000_000, "1.0")] as [(UInt64, String)])
    func secondsAreExactBothWays(nanos: UInt64, text: String) {
        #expect(TimeText.seconds(offsetNanos: nanos) == text)
        #expect(TimeText.offsetNanos(seconds: text) == nanos)
    }
}

@Suite struct JSONLinesAppendingTests {
    @Test func appendingWritesTheSameLinesWithNewlines() throws {
        let records = Fixtures.records
        var buffer: [UInt8] = Array("prefix\n".utf8)
        for record in records {
            JSONLines.encode(record, appendingTo: &buffer)
        }
        let expected = "prefix\n" + records.map { JSONLines.encode($0) + "\n" }.joined()
        #expect(String(decoding: buffer, as: UTF8.self) == expected)
    }
}
