import NIOCore
import SocketTapeWire
import Testing

/// Binary attachments: socket.io-protocol v5 "Packet encoding", "with binary data" and "with
/// multiple attachments"; socket.io-parser 4.x's buffer tests for the errors.
struct SocketIOBinaryTests {
    static func placeholder(_ number: Int) -> JSONValue { ["_placeholder": true, "num": .integer(number)] }
    static func bytes(_ base64: String) -> JSONValue { ["$bytes": .string(base64)] }

    @Test func oneAttachment() throws {
        var reassembler = SocketIOBinaryReassembler()
        let header = try SocketIOPacket(decoding: #"51-["baz",{"_placeholder":true,"num":0}]"#, version: .v5)
        #expect(try reassembler.begin(header) == nil)
        #expect(reassembler.pending == header)
        let packet = try reassembler.add(attachment: ByteBuffer(bytes: [1, 2, 3, 4]))
        #expect(packet == SocketIOPacket(type: .binaryEvent, attachments: 1, data: ["baz", Self.bytes("AQIDBA==")]))
        #expect(packet?.event == "baz")
        #expect(packet?.args.first?.jsonText == #"{"$bytes":"AQIDBA=="}"#)
        #expect(reassembler.pending == nil)
    }

    @Test func severalNestedAndOutOfOrderAttachments() throws {
        var reassembler = SocketIOBinaryReassembler()
        let header = SocketIOPacket(
            type: .binaryAck, namespace: "/admin", id: 9, attachments: 3,
            data: [["files": [Self.placeholder(2), ["inner": Self.placeholder(0)]]], Self.placeholder(1), Self.placeholder(0)]
        )
        #expect(try reassembler.begin(header) == nil)
        #expect(try reassembler.add(attachment: ByteBuffer(bytes: [0xFF])) == nil)
        #expect(reassembler.receivedCount == 1)
        #expect(try reassembler.add(attachment: ByteBuffer()) == nil)
        let packet = try reassembler.add(attachment: ByteBuffer(string: "abc"))
        #expect(packet?.data == [["files": [Self.bytes("YWJj"), ["inner": Self.bytes("/w==")]]], Self.bytes(""), Self.bytes("/w==")])
    }

    @Test func zeroAttachmentsAndPlainPacketsAreCompleteAtOnce() throws {
        var reassembler = SocketIOBinaryReassembler()
        let empty = try SocketIOPacket(decoding: #"50-["hello"]"#, version: .v5)
        #expect(try reassembler.begin(empty) == empty)
        let plain = try SocketIOPacket(decoding: #"2["hello"]"#, version: .v5)
        #expect(try reassembler.begin(plain) == plain)
        #expect(reassembler.pending == nil)
    }

    @Test func attachmentWithNothingPendingNamesOtherParsers() {
        var reassembler = SocketIOBinaryReassembler()
        #expect(throws: SocketIOError(
            offset: nil,
            reason: "a binary message with no BINARY_EVENT or BINARY_ACK waiting for attachments: not the default Socket.IO parser's format (socket.io-msgpack-parser or another custom parser?)"
        )) {
            try reassembler.add(attachment: ByteBuffer(string: "world"))
        }
    }

    @Test(arguments: [
        (#"51-["hello",{"_placeholder":true,"num":1}]"#, #"a placeholder with "num" 1, not an attachment index from 0 to 0"#),
        (#"51-["hello",{"_placeholder":true,"num":"splice"}]"#, #"a placeholder with "num" "splice", not an attachment index from 0 to 0"#),
        (#"51-["hello",{"_placeholder":true,"num":-1}]"#, #"a placeholder with "num" -1, not an attachment index from 0 to 0"#),
        (#"51-["hello",{"_placeholder":true}]"#, #"a placeholder with "num" missing, not an attachment index from 0 to 0"#),
    ])
    func illegalPlaceholders(_ text: String, _ reason: String) throws {
        var reassembler = SocketIOBinaryReassembler()
        _ = try reassembler.begin(try SocketIOPacket(decoding: text, version: .v5))
        #expect(throws: SocketIOError(offset: nil, reason: reason)) { try reassembler.add(attachment: ByteBuffer(string: "world")) }
        #expect(reassembler.pending == nil)
    }

    @Test func deconstructionIsTheReverseOfReassembly() throws {
        let headerText = #"62-/admin,15["bar",{"x":[{"_placeholder":true,"num":0}]},{"_placeholder":true,"num":1}]"#
        var reassembler = SocketIOBinaryReassembler()
        _ = try reassembler.begin(try SocketIOPacket(decoding: headerText, version: .v5))
        _ = try reassembler.add(attachment: ByteBuffer(bytes: [1, 2]))
        let packet = try #require(try reassembler.add(attachment: ByteBuffer(bytes: [3, 4])))
        let (header, attachments) = try packet.deconstructed()
        #expect(header.encodedText == headerText)
        #expect(attachments == [ByteBuffer(bytes: [1, 2]), ByteBuffer(bytes: [3, 4])])
    }

    @Test func deconstructionTurnsEventsIntoBinaryEvents() throws {
        let event = SocketIOPacket(type: .event, id: 3, data: ["upload", Self.bytes("AQID")])
        let (header, attachments) = try event.deconstructed()
        #expect(header.encodedText == #"51-3["upload",{"_placeholder":true,"num":0}]"#)
        #expect(attachments == [ByteBuffer(bytes: [1, 2, 3])])
        let ack = SocketIOPacket(type: .ack, id: 3, data: [Self.bytes("")])
        #expect(try ack.deconstructed().header.encodedText == #"61-3[{"_placeholder":true,"num":0}]"#)
        let plain = SocketIOPacket(type: .event, data: ["x", ["$bytes": "AQID", "other": 1]])
        #expect(try plain.deconstructed().header == plain)
        #expect(try plain.deconstructed().attachments.isEmpty)
    }

    @Test func deconstructionRejectsBadBase64() {
        let event = SocketIOPacket(type: .event, data: ["upload", Self.bytes("AQ!D")])
        #expect(throws: SocketIOError(offset: nil, reason: #""$bytes" value 0: base64: '!' is not a base64 character (at byte 2)"#)) {
            try event.deconstructed()
        }
    }
}
