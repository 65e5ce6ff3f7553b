import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@testable import SocketTapeReplay

@Suite struct CaptureBookTests {
    private func observed(_ text: String) -> ObservedMessage {
        var decoder = ObservedMessageDecoder(engineIO: .v4)
        return decoder.decode(opcode: .text, payload: ByteBuffer(string: text), transport: .websocket)!
    }

    private func send(_ text: String) -> ReplayMessage {
        ReplayMessage(opcode: .text, payload: ByteBuffer(string: text))
    }

    @Test func aPointerCaptureRewritesLaterClientMessages() throws {
        let book = CaptureBook(rules: [try IgnoreRule(parsing: "/args/0/room")])
        book.learn(expected: observed(#"431[{"room":"room-aaaa1111"}]"#), actual: observed(#"431[{"room":"room-bbbb2222"}]"#))
        #expect(book.apply(to: send(#"422["join","room-aaaa1111"]"#)).text == #"422["join","room-bbbb2222"]"#)
        #expect(book.apply(to: send(#"423["join","other"]"#)).text == #"423["join","other"]"#)
        #expect(book.identifiers["room-aaaa1111"] == "room-bbbb2222")
    }

    @Test func aRegexCaptureTakesItsFirstGroup() throws {
        let book = CaptureBook(rules: [try IgnoreRule(parsing: "regex:order (\\d+) created")])
        book.learn(expected: observed(#"42["note","order 17 created"]"#), actual: observed(#"42["note","order 23 created"]"#))
        #expect(book.apply(to: send(#"42["pay","17"]"#)).text == #"42["pay","23"]"#)
    }

    @Test func sidsAreMappedWithoutRules() {
        let book = CaptureBook(rules: [])
        book.learn(expected: observed(#"40{"sid":"old"}"#), actual: observed(#"40{"sid":"new"}"#))
        #expect(book.apply(to: send(#"42["dm",{"to":"old","text":"old news"}]"#)).text == #"42["dm",{"to":"new","text":"old news"}]"#)
    }

    @Test func binaryMessagesGoUnchanged() {
        let book = CaptureBook(rules: [])
        book.learn(expected: observed(#"40{"sid":"abcdefgh1"}"#), actual: observed(#"40{"sid":"zzzzzzzz2"}"#))
        let binary = ReplayMessage(opcode: .binary, payload: ByteBuffer(string: "abcdefgh1"))
        #expect(book.apply(to: binary) == binary)
    }
}
