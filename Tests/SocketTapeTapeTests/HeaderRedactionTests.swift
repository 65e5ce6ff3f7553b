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
}
