import Foundation
import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@Suite struct SocketIOJSONLinesTests {
    /// The lines of ``SocketIOTape/session`` as export writes them.
    static var exported: [String] {
        SocketIOTape.annotated(SocketIOTape.session).map { JSONLines.encode($0.0, socketIO: $0.1) }
    }

    /// What each message line ends with after `"compressed":false`.
    @Test func socketIOFieldsAreAppendedAfterTheMessageFields() throws {
        let tails = Self.exported.compactMap { line -> String? in
            guard line.hasPrefix(#"{"kind":"message""#), let range = line.range(of: #""compressed":false"#) else { return nil }
            return String(line[range.upperBound...])
        }
        #expect(
            tails == [
                #","transport":"polling","eio":{"type":"open","data":{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}}}"#,
                #","transport":"polling","eio":{"type":"message","data":"0"},"sio":{"type":"CONNECT","nsp":"/"}}"#,
                #","transport":"polling","eio":{"type":"message","data":"0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}"},"sio":{"type":"CONNECT","nsp":"/","data":{"sid":"wZX3oN0bSVIhsaknAAAI"}}}"#,
                #","eio":{"type":"ping","data":"probe"}}"#,
                #","eio":{"type":"message","data":"27[\"chat\",{\"text\":\"hi\"}]"},"sio":{"type":"EVENT","nsp":"/","event":"chat","args":[{"text":"hi"}],"id":7}}"#,
                #","eio":{"type":"message","data":"37[{\"ok\":true}]"},"sio":{"type":"ACK","nsp":"/","args":[{"ok":true}],"id":7}}"#,
                #","eio":{"type":"message","data":"52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"},"sio":{"type":"BINARY_EVENT","nsp":"/","event":"upload","args":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}],"attachments":2,"pending":true}}"#,
                #","eio":{"type":"message","data":{"$bytes":"AQID"}},"sio":{"attachment":0,"of":2}}"#,
                #","eio":{"type":"message","data":{"$bytes":"BAUG"}},"sio":{"type":"BINARY_EVENT","nsp":"/","event":"upload","args":[{"$bytes":"AQID"},{"$bytes":"BAUG"}],"attachments":2,"attachment":1,"of":2}}"#,
                #","eio":{"type":"message","data":"0/admin,{\"token\":\"wrong\"}"},"sio":{"type":"CONNECT","nsp":"/admin","data":{"token":"wrong"}}}"#,
                #","eio":{"type":"message","data":"4/admin,{\"message\":\"Not authorized\"}"},"sio":{"type":"CONNECT_ERROR","nsp":"/admin","data":{"message":"Not authorized"}}}"#,
                #","eio":{"type":"message","data":"2{\"oops\":1}"},"sio_error":"Socket.IO: EVENT payload must be an array, not an object (at byte 2)"}"#,
                #","eio_error":"Engine.IO: unknown packet type '9' (at byte 0)"}"#,
                #","eio":{"type":"message","data":"1"},"sio":{"type":"DISCONNECT","nsp":"/"}}"#,
                "}",  // a WebSocket close: nothing to decode
            ]
        )
    }

    @Test func aPendingHeaderAndAnAbandonedOneBothShow() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 4, transport: .websocket))
        _ = annotator.annotate(SocketIOTape.text("a", .server, #"461-/x,3[{"_placeholder":true,"num":0}]"#))
        let next = SocketIOTape.text("a", .server, #"42/x,["b"]"#)
        let line = JSONLines.encode(next, socketIO: annotator.annotate(next))
        #expect(
            line.hasSuffix(
                #""sio":{"type":"EVENT","nsp":"/x","event":"b","args":[]},"sio_error":"Socket.IO: a text message arrived while BINARY_ACK on /x still waited for attachment 1 of 1; that packet is abandoned"}"#
            )
        )
    }

    @Test func binaryEngineIOPacketsAndStringPayloads() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("v3", engineIO: 3, transport: .websocket))
        let ping = SocketIOTape.binary("v3", .server, [2, 0xFF])
        #expect(JSONLines.encode(ping, socketIO: annotator.annotate(ping)).hasSuffix(#""eio":{"type":"ping","data":{"$bytes":"/w=="}}}"#))
        let error = SocketIOTape.text("v3", .server, #"44"Not authorized""#)
        #expect(
            JSONLines.encode(error, socketIO: annotator.annotate(error))
                .hasSuffix(#""sio":{"type":"CONNECT_ERROR","nsp":"/","data":"Not authorized"}}"#)
        )
    }

    /// Import ignores `eio`/`sio` (the payload is authoritative), and export puts them back from
    /// the payload: export → import → export gives the same bytes.
    @Test func exportImportExportIsByteIdentical() throws {
        let lines = Self.exported
        let imported = try lines.enumerated().map { try JSONLines.decode($1, lineNumber: $0 + 1) }
        #expect(imported == SocketIOTape.session)
        let again = SocketIOTape.annotated(imported).map { JSONLines.encode($0.0, socketIO: $0.1) }
        #expect(again == lines)
    }

    @Test func decodingIgnoresWhatTheSocketIOFieldsSay() throws {
        let line = #"{"kind":"message","t":1,"from":"client","opcode":"text","text":"40","eio":{"type":"ping"},"sio":{"type":"EVENT","event":"x"},"sio_error":"?"}"#
        let record = try JSONLines.decode(line, lineNumber: 1)
        #expect(record.body == .message(MessageRecord(from: .client, opcode: 1, payload: ByteBuffer(string: "40"), frames: 1, compressed: false)))
    }

    @Test func appendingWritesTheSameAnnotatedLines() {
        var buffer: [UInt8] = []
        for (record, annotation) in SocketIOTape.annotated(SocketIOTape.session) {
            JSONLines.encode(record, socketIO: annotation, appendingTo: &buffer)
        }
        #expect(String(decoding: buffer, as: UTF8.self) == Self.exported.map { $0 + "\n" }.joined())
    }
}
