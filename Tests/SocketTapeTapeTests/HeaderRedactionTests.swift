import NIOCore
import SocketTapeWire
import SocketTapeTape
import Testing

@Suite struct HeaderRedactionTests {
    private let headers = [
        HeaderField("Host", "example.com"),
        HeaderField("AUTHORIZATION", "Bearer abc"),
        HeaderField("Cookie", "sid=1"),
        HeaderField("set-cookie", "sid=2"),
        HeaderField("X-Api-Key", "k"),
    ]

    @Test func defaultNamesAreRedactedInAnyCase() {
        #expect(HeaderRedaction(names: HeaderRedaction.defaultNames).apply(headers) == [
            HeaderField("Host", "example.com"),
            HeaderField("AUTHORIZATION", "[redacted]"),
            HeaderField("Cookie", "[redacted]"),
            HeaderField("set-cookie", "[redacted]"),
            HeaderField("X-Api-Key", "k"),
        ])
    }

    @Test func customNamesAndNone() {
        #expect(HeaderRedaction(names: ["x-api-KEY"]).apply(headers).last == HeaderField("X-Api-Key", "[redacted]"))
        #expect(HeaderRedaction.none.apply(headers) == headers)
        #expect(HeaderRedaction.default == HeaderRedaction(names: ["Cookie", "set-cookie", "Authorization"]))
    }

    /// Field names are ASCII: only A–Z fold, and a name written exactly as configured always matches.
    @Test func nonASCIINamesMatchAsWritten() {
        let redaction = HeaderRedaction(names: ["X-Ä"])
        #expect(redaction.apply([HeaderField("X-Ä", "v")]) == [HeaderField("X-Ä", "[redacted]")])
        #expect(redaction.apply([HeaderField("x-Ä", "v")]) == [HeaderField("x-Ä", "[redacted]")])
        #expect(redaction.apply([HeaderField("x-ä", "v")]) == [HeaderField("x-ä", "v")])
    }
}

@Suite struct SocketIOAuthRedactionTests {
    private func redact(_ text: String, _ version: EngineIOVersion = .v4) -> String? {
        SocketIOAuthRedaction.redact(engineIOText: ByteBuffer(string: text), version: version).map { String(buffer: $0) }
    }

    @Test func connectAuthValuesAreReplacedKeysKept() {
        #expect(redact(#"40{"token":"s3cret","user":{"id":1}}"#) == #"40{"token":"[redacted]","user":"[redacted]"}"#)
        #expect(redact(#"40/admin,{"token":"s3cret"}"#) == #"40/admin,{"token":"[redacted]"}"#)
    }

    @Test func otherPacketsAreLeftAlone() {
        #expect(redact("40") == nil)
        #expect(redact(#"42["chat","40{"]"#) == nil)
        #expect(redact(#"40{"token":"#) == nil)  // malformed: forwarded and recorded as it is
        #expect(redact("40/admin,") == nil)
        #expect(redact(#"41{"a":1}"#) == nil)
    }
}
