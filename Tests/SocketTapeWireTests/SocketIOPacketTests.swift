import NIOCore
import SocketTapeWire
import Testing

/// Socket.IO packets in their text form, with the exact strings of socket.io-protocol: `main`
/// (v5), "Packet encoding", "Examples" and "Sample session"; branch `v4`, "Packet encoding",
/// "Examples".
struct SocketIOPacketTests {
    static let v5Examples: [(String, SocketIOPacket)] = [
        ("0", SocketIOPacket(type: .connect)),
        ("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "oSO0OpakMV_3jnilAAAA"])),
        ("0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", SocketIOPacket(type: .connect, data: ["sid": "wZX3oN0bSVIhsaknAAAI"])),
        ("4{\"message\":\"Not authorized\"}", SocketIOPacket(type: .connectError, data: ["message": "Not authorized"])),
        ("2[\"foo\"]", SocketIOPacket(type: .event, data: ["foo"])),
        ("2/admin,[\"bar\"]", SocketIOPacket(type: .event, namespace: "/admin", data: ["bar"])),
        ("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["baz", ["_placeholder": true, "num": 0]])),
        (
            "52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
            SocketIOPacket(type: .binaryEvent, namespace: "/admin", attachments: 2, data: ["baz", ["_placeholder": true, "num": 0], ["_placeholder": true, "num": 1]])
        ),
        ("212[\"foo\"]", SocketIOPacket(type: .event, id: 12, data: ["foo"])),
        ("3/admin,13[\"bar\"]", SocketIOPacket(type: .ack, namespace: "/admin", id: 13, data: ["bar"])),
        ("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(type: .binaryAck, id: 15, attachments: 1, data: ["bar", ["_placeholder": true, "num": 0]])),
        ("1", SocketIOPacket(type: .disconnect)),
        ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
        // "Sample session".
        ("2[\"hey\",\"Jude\"]", SocketIOPacket(type: .event, data: ["hey", "Jude"])),
        ("0/admin,", SocketIOPacket(type: .connect, namespace: "/admin")),
        ("0/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}", SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "-G5j-67EZFp-q59rADQM"])),
        ("2/admin,1[\"tellme\"]", SocketIOPacket(type: .event, namespace: "/admin", id: 1, data: ["tellme"])),
        ("61-/admin,1[{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(type: .binaryAck, namespace: "/admin", id: 1, attachments: 1, data: [["_placeholder": true, "num": 0]])),
        // socket.io-parser 4.x tests: numeric event names, empty ack, string CONNECT_ERROR.
        ("2[1,\"a\",{}]", SocketIOPacket(type: .event, data: [1, "a", [:]])),
        ("3123[]", SocketIOPacket(type: .ack, id: 123, data: [])),
        ("4\"Unauthorized\"", SocketIOPacket(type: .connectError, data: "Unauthorized")),
    ]

    static let v4Examples: [(String, SocketIOPacket)] = [
        ("0", SocketIOPacket(type: .connect)),
        ("0/admin,", SocketIOPacket(type: .connect, namespace: "/admin")),
        ("0/admin?token=1234&uid=abcd,", SocketIOPacket(type: .connect, namespace: "/admin?token=1234&uid=abcd")),
        ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
        ("2[\"hello\",1]", SocketIOPacket(type: .event, data: ["hello", 1])),
        ("2/admin,456[\"project:delete\",123]", SocketIOPacket(type: .event, namespace: "/admin", id: 456, data: ["project:delete", 123])),
        ("3/admin,456[]", SocketIOPacket(type: .ack, namespace: "/admin", id: 456, data: [])),
        ("4/admin,\"Not authorized\"", SocketIOPacket(type: .connectError, namespace: "/admin", data: "Not authorized")),
        ("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["hello", ["_placeholder": true, "num": 0]])),
        (
            "51-/admin,456[\"project:delete\",{\"_placeholder\":true,\"num\":0}]",
            SocketIOPacket(type: .binaryEvent, namespace: "/admin", id: 456, attachments: 1, data: ["project:delete", ["_placeholder": true, "num": 0]])
        ),
        ("61-/admin,456[{\"_placeholder\":true,\"num\":0}]", SocketIOPacket(type: .binaryAck, namespace: "/admin", id: 456, attachments: 1, data: [["_placeholder": true, "num": 0]])),
        // v4 allows an ACK without payload and a reserved-looking event name.
        ("3/admin,7", SocketIOPacket(type: .ack, namespace: "/admin", id: 7)),
        ("2[\"connect\"]", SocketIOPacket(type: .event, data: ["connect"])),
    ]

    static let examples = v5Examples.map { (SocketIOVersion.v5, $0.0, $0.1) } + v4Examples.map { (SocketIOVersion.v4, $0.0, $0.1) }

    @Test(arguments: examples)
    func examplesDecodeAndEncodeExactly(_ version: SocketIOVersion, _ text: String, _ packet: SocketIOPacket) throws {
        #expect(try SocketIOPacket(decoding: text, version: version) == packet)
        #expect(packet.encodedText == text)
    }

    @Test func typeNamesAreDesignMdSioTypes() {
        #expect(SocketIOPacketType.allCases.map(\.name) == ["CONNECT", "DISCONNECT", "EVENT", "ACK", "CONNECT_ERROR", "BINARY_EVENT", "BINARY_ACK"])
        #expect(SocketIOPacketType.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6])
        #expect(SocketIOPacketType(name: "ERROR") == .connectError)
        #expect(SocketIOPacketType(name: "BINARY_ACK") == .binaryAck)
    }

    @Test func eventAndArgs() throws {
        let event = try SocketIOPacket(decoding: #"2/chat,7["chat",{"roomId":"r1","text":"hello world"},3]"#, version: .v5)
        #expect(event.event == "chat")
        #expect(event.args == [["roomId": "r1", "text": "hello world"], 3])
        #expect(event.args.first?.jsonText == #"{"roomId":"r1","text":"hello world"}"#)
        let numbered = try SocketIOPacket(decoding: "2[1,\"a\"]", version: .v5)
        #expect(numbered.event == nil)
        #expect(numbered.args == ["a"])
        let ack = try SocketIOPacket(decoding: #"31["ok"]"#, version: .v5)
        #expect(ack.event == nil)
        #expect(ack.args == ["ok"])
        #expect(try SocketIOPacket(decoding: "0{\"token\":\"123\"}", version: .v5).args == [])
    }

    @Test func inputFormsDecodeAlike() throws {
        let text = #"2/a,1["x"]"#
        let expected = try SocketIOPacket(decoding: text, version: .v5)
        #expect(try SocketIOPacket(decoding: ByteBuffer(string: text), version: .v5) == expected)
        let fromBytes = try Array(text.utf8).withUnsafeBytes { try SocketIOPacket(decoding: $0, version: .v5) }
        #expect(fromBytes == expected)
        #expect(expected.engineIOPacket == .message(text))
    }

    static let malformedV5: [(String, SocketIOError)] = [
        ("", SocketIOError(offset: 0, reason: "an empty packet")),
        ("999", SocketIOError(offset: 0, reason: "unknown packet type '9'")),
        ("7", SocketIOError(offset: 0, reason: "unknown packet type '7'")),
        ("x", SocketIOError(offset: 0, reason: "unknown packet type 'x'")),
        // socket.io-parser 4.x "decodes a bad binary packet": Illegal attachments.
        ("5", SocketIOError(offset: 1, reason: "BINARY_EVENT needs the number of attachments and '-' after the type")),
        ("51[\"a\"]", SocketIOError(offset: 2, reason: "expected '-' after the number of attachments")),
        ("6-[]", SocketIOError(offset: 1, reason: "BINARY_ACK needs the number of attachments and '-' after the type")),
        ("51234567890123456789-[\"a\"]", SocketIOError(offset: 1, reason: "attachment count of more than 18 digits")),
        ("21234567890123456789[\"a\"]", SocketIOError(offset: 1, reason: "ack id of more than 18 digits")),
        // socket.io-parser 4.x "throw an error upon parsing error": invalid payload.
        ("442[\"some\",\"data\"", SocketIOError(offset: 17, reason: "invalid JSON payload: unexpected end of the text in an array")),
        ("0/admin,\"invalid\"", SocketIOError(offset: 8, reason: "CONNECT payload must be an object, not a string")),
        ("0[]", SocketIOError(offset: 1, reason: "CONNECT payload must be an object, not an array")),
        ("1/admin,{}", SocketIOError(offset: 8, reason: "DISCONNECT has no payload")),
        ("2/admin,\"invalid", SocketIOError(offset: 8, reason: "invalid JSON payload: unterminated string")),
        ("2/admin,{}", SocketIOError(offset: 8, reason: "EVENT payload must be an array, not an object")),
        ("2[{\"toString\":\"foo\"}]", SocketIOError(offset: 1, reason: "the event name must be a string or a number, not an object")),
        ("2[true,\"foo\"]", SocketIOError(offset: 1, reason: "the event name must be a string or a number, not a boolean")),
        ("2[null,\"bar\"]", SocketIOError(offset: 1, reason: "the event name must be a string or a number, not null")),
        ("2[\"connect\"]", SocketIOError(offset: 1, reason: "\"connect\" is a reserved event name")),
        ("2[\"disconnect\",\"123\"]", SocketIOError(offset: 1, reason: "\"disconnect\" is a reserved event name")),
        // The protocol document: events need a non-empty array, acks an array.
        ("2", SocketIOError(offset: 1, reason: "EVENT needs a payload: an array starting with the event name")),
        ("2/admin,12", SocketIOError(offset: 10, reason: "EVENT needs a payload: an array starting with the event name")),
        ("2[]", SocketIOError(offset: 1, reason: "EVENT payload must not be an empty array")),
        ("51-{}", SocketIOError(offset: 3, reason: "BINARY_EVENT payload must be an array, not an object")),
        ("312", SocketIOError(offset: 3, reason: "ACK needs a payload: an array")),
        ("31{}", SocketIOError(offset: 2, reason: "ACK payload must be an array, not an object")),
        ("4[]", SocketIOError(offset: 1, reason: "CONNECT_ERROR payload must be a string or an object, not an array")),
        ("4 1", SocketIOError(offset: 1, reason: "CONNECT_ERROR payload must be a string or an object, not a number")),
        ("2[\"a\"] x", SocketIOError(offset: 7, reason: "invalid JSON payload: unexpected text after the JSON value")),
        ("2/admin[\"a\"]", SocketIOError(offset: 12, reason: "EVENT needs a payload: an array starting with the event name")),
    ]


    static let malformedV4: [(String, SocketIOError)] = [
        ("0\"x\"", SocketIOError(offset: 1, reason: "CONNECT payload must be an object, not a string")),
        ("4/admin,true", SocketIOError(offset: 8, reason: "CONNECT_ERROR payload must be a string or an object, not a boolean")),
        ("2[true]", SocketIOError(offset: 1, reason: "the event name must be a string or a number, not a boolean")),
        ("3{}", SocketIOError(offset: 1, reason: "ACK payload must be an array, not an object")),
        ("1\"bye\"", SocketIOError(offset: 1, reason: "DISCONNECT has no payload")),
    ]

    static let malformed = malformedV5.map { (SocketIOVersion.v5, $0.0, $0.1) } + malformedV4.map { (SocketIOVersion.v4, $0.0, $0.1) }

    @Test(arguments: malformed)
    func malformedPackets(_ version: SocketIOVersion, _ text: String, _ expected: SocketIOError) {
        #expect(throws: expected) { try SocketIOPacket(decoding: text, version: version) }
    }

    @Test func v4AllowsWhatV5Refuses() throws {
        #expect(try SocketIOPacket(decoding: "4[1]", version: .v4).data == [1])
        #expect(try SocketIOPacket(decoding: "0null", version: .v4).data == .null)
        #expect(try SocketIOPacket(decoding: "3", version: .v4).data == nil)
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: SocketIOError(offset: 3, reason: "a packet that is not UTF-8")) {
            try SocketIOPacket(decoding: ByteBuffer(bytes: [0x32, 0x5B, 0x22, 0xFF, 0x22, 0x5D]), version: .v5)
        }
    }
}
