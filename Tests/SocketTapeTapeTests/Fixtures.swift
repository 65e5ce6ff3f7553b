import Foundation
import NIOCore
import SocketTapeTape

/// Records of every kind with odd values: empty strings, unicode, binary payloads, extreme numbers.
enum Fixtures {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    static let request = HTTPRequestRecord(
        method: "GET",
        target: "/chat?room=caf%C3%A9&q=\"x\"",
        headers: [HeaderField("Host", "example.com"), HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), HeaderField("", "")]
    )
    static let response = HTTPResponseRecord(status: 101, headers: [HeaderField("Upgrade", "websocket")])

    static let bodies: [TapeRecord.Body] = [
        .open(SessionOpen(client: "[::1]:51000", transport: .websocket, upstream: "ws://127.0.0.1:9000", request: request, response: response)),
        .open(SessionOpen(client: "", transport: .polling, upstream: "", request: HTTPRequestRecord(method: "", target: "", headers: []), response: nil)),
        .open(
            SessionOpen(
                client: "127.0.0.1:1", transport: .polling, upstream: "http://127.0.0.1:3000",
                request: HTTPRequestRecord(method: "GET", target: "/socket.io/?EIO=4&transport=polling", headers: []),
                response: response, engineIOVersion: 4
            )
        ),
        .upgrade(TransportUpgrade(transport: .websocket, request: request, response: response)),
        .upgrade(TransportUpgrade(transport: .websocket, request: request, response: nil)),
        .message(MessageRecord(from: .server, opcode: 1, payload: ByteBuffer(string: "0{\"sid\":\"a\"}"), frames: 0, compressed: false, transport: .polling)),
        .frame(FrameInfo(from: .client, opcode: 1, fin: true, rsv: 0b100, maskingKey: 0x0102_0304, payloadLength: 5)),
        .frame(FrameInfo(from: .server, opcode: 0, fin: false, rsv: 0, maskingKey: nil, payloadLength: UInt64.max)),
        .frame(FrameInfo(from: .client, opcode: 0x0F, fin: true, rsv: 0b111, maskingKey: 0, payloadLength: 0)),
        .message(MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "héllo \"wörld\"\n\u{1F600}\u{0}"), frames: 3, compressed: true)),
        .message(MessageRecord(from: .server, opcode: 1, payload: buffer([0xFF, 0xFE, 0x41]), frames: 1, compressed: false)),
        .message(MessageRecord(from: .server, opcode: 2, payload: buffer(Array(0...255)), frames: UInt32.max, compressed: false)),
        .message(MessageRecord(from: .client, opcode: 2, payload: ByteBuffer(), frames: 0, compressed: false)),
        .message(MessageRecord(from: .client, opcode: 8, payload: buffer([0x03, 0xE8] + Array("bye ☃".utf8)), frames: 1, compressed: false)),
        .message(MessageRecord(from: .server, opcode: 8, payload: ByteBuffer(), frames: 1, compressed: false)),
        .message(MessageRecord(from: .server, opcode: 8, payload: buffer([0x03]), frames: 1, compressed: false)),
        .message(MessageRecord(from: .server, opcode: 8, payload: buffer([0x03, 0xE9, 0xC3]), frames: 1, compressed: false)),
        .message(MessageRecord(from: .proxy, opcode: 9, payload: ByteBuffer(string: "ping"), frames: 1, compressed: false)),
        .message(MessageRecord(from: .client, opcode: 10, payload: ByteBuffer(), frames: 1, compressed: false)),
        .http(
            HTTPExchange(
                request: HTTPRequestRecord(method: "POST", target: "/socket.io/?EIO=4&transport=polling", headers: [], body: ByteBuffer(string: "40")),
                response: HTTPResponseRecord(status: 200, headers: [HeaderField("Content-Type", "text/plain; charset=UTF-8")], body: buffer([0, 1, 0xFF]))
            )
        ),
        .http(HTTPExchange(request: request, response: nil)),
        .policy(PolicyDecision(from: .client, rule: "rate-limit", action: "drop", detail: "12 msgs/s > 10 \\ \t tab")),
        .policy(PolicyDecision(from: .server, rule: "limits[0]", action: "delay", detail: "20/s", identity: "user-\u{1F600}")),
        .close(SessionClose(by: .client, code: 1000, reason: "bye", error: nil)),
        .close(SessionClose(by: .proxy, code: nil, reason: "", error: "connection reset by peer")),
        .close(SessionClose(by: .server, code: UInt16.max, reason: "\u{7F}\u{1B}", error: "")),
        .gap(Gap(records: 3, bytes: UInt64.max, reason: "tape writer queue full")),
    ]

    static let times: [RecordTime] = [
        RecordTime(wallMicros: 1_795_000_000_000_001, offsetNanos: 0),
        RecordTime(wallMicros: 0, offsetNanos: 1),
        RecordTime(wallMicros: -1, offsetNanos: 12_300_000),
        RecordTime(wallMicros: Int64.max, offsetNanos: UInt64.max),
        RecordTime(wallMicros: 1_795_000_000_123_456, offsetNanos: 86_400_000_000_001),
    ]

    /// Every body, each with a session name and time of its own.
    static let records: [TapeRecord] = bodies.enumerated().map { index, body in
        let session = index % 3 == 0 ? "" : index % 3 == 1 ? "S\(index)" : "sessión-\u{1F600}-\(index)"
        return TapeRecord(session: session, time: times[index % times.count], body: body)
    }
}

extension Fixtures {
    /// A binary message of `size` bytes, each the low byte of `index`, taken at `index` µs.
    static func message(_ index: Int, size: Int = 100, from peer: Peer = .client, session: String = "S") -> TapeRecord {
        let payload = ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: size)
        let body = TapeRecord.Body.message(MessageRecord(from: peer, opcode: 2, payload: payload, frames: 1, compressed: false))
        return TapeRecord(session: session, time: RecordTime(wallMicros: Int64(index), offsetNanos: UInt64(index)), body: body)
    }
}

extension TapeReader {
    /// Every record until the end (follow or not).
    mutating func readAll(follow: Bool = false) throws -> [TapeRecord] {
        var records: [TapeRecord] = []
        while let record = try next(follow: follow) { records.append(record) }
        return records
    }
}
