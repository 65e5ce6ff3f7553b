import SocketTapeWire
import Testing

/// Field-value helpers: list tokens and case-insensitive names, as RFC 9110 compares them.
struct HTTPTextTests {
    @Test(arguments: [
        ("Upgrade", "upgrade"), ("keep-alive, Upgrade", "upgrade"), ("keep-alive,upgrade", "UPGRADE"),
        (" \tUpgrade\t ", "upgrade"), ("a,, upgrade ,b", "upgrade"), ("websocket", "websocket"), (",websocket,", "WebSocket"),
    ])
    func listsToken(value: String, token: String) {
        #expect(value.listsToken(token))
        #expect(Substring(value).listsToken(Substring(token)))
    }

    @Test(arguments: [
        ("", "upgrade"), (",", "upgrade"), ("   ", "upgrade"), ("upgraded", "upgrade"), ("up grade", "upgrade"),
        ("keep-alive", "upgrade"), ("websocket2, h2c", "websocket"), ("upgrade", ""), ("Ü", "ü"),
    ])
    func doesNotListToken(value: String, token: String) {
        #expect(!value.listsToken(token))
    }

    @Test func caseInsensitiveEqualityIsASCIIOnly() {
        #expect("Sec-WebSocket-Key".caseInsensitiveEquals("sec-websocket-key"))
        #expect(!"Sec-WebSocket-Key".caseInsensitiveEquals("sec-websocket-keys"))
        #expect(!"É".caseInsensitiveEquals("é"))
        #expect("".caseInsensitiveEquals(""))
    }
}
