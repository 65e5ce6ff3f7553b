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
        #expect(!Substring(value).listsToken(Substring(token)))
    }

    /// Lists are split at comma bytes, as RFC 9110's grammar is written: a combining mark after a
    /// comma does not hide the element before it.
    @Test func commaBeforeACombiningMarkStillSeparates() {
        #expect("websocket,\u{301}".listsToken("websocket"))
    }

    @Test func bytesListTokensToo() {
        #expect(Array("keep-alive, Upgrade".utf8).listsToken(Array("upgrade".utf8)))
        #expect(!Array("keep-alive".utf8).listsToken(Array("upgrade".utf8)))
    }

    @Test func caseInsensitiveEqualityIsASCIIOnly() {
        #expect("Sec-WebSocket-Key".caseInsensitiveEquals("sec-websocket-key"))
        #expect(!"Sec-WebSocket-Key".caseInsensitiveEquals("sec-websocket-keys"))
        #expect(!"É".caseInsensitiveEquals("é"))
        #expect("".caseInsensitiveEquals(""))
        #expect("AZ".caseInsensitiveEquals("az"))
    }

    /// The neighbours of A and Z, whose bytes differ from others' by 0x20 too, do not fold.
    @Test(arguments: [("@", "`"), ("[", "{"), ("\\", "|"), ("]", "}"), ("^", "~"), ("_", "\u{7F}")])
    func onlyLettersFold(upper: String, lower: String) {
        #expect(!upper.caseInsensitiveEquals(lower))
        #expect(upper.asciiLowercased == upper)
    }

    @Test func asciiLowercasingKeepsOtherCharacters() {
        #expect("X-Ä-Key".asciiLowercased == "x-Ä-key")
    }
}
