import NIOCore
import SocketTapeTape
import Testing

@testable import SocketTapeCapture

@Suite struct HTTPMessageBytesTests {
    @Test func upgradeRequestKeepsHeadersInRecordedOrderAndSpelling() {
        let request = HTTPRequestRecord(method: "GET", target: "/chat?room=1", headers: [
            HeaderField("Host", "127.0.0.1:8080"), HeaderField("Upgrade", "websocket"), HeaderField("Connection", "Upgrade"),
            HeaderField("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), HeaderField("Sec-WebSocket-Version", "13"),
        ])
        #expect(String(buffer: HTTPMessageBytes.request(request)) == """
            GET /chat?room=1 HTTP/1.1\r
            Host: 127.0.0.1:8080\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Sec-WebSocket-Version: 13\r
            \r

            """)
    }

    @Test func switchingProtocolsResponseHasItsReasonPhraseAndNoBodyFraming() {
        let response = HTTPResponseRecord(status: 101, headers: [
            HeaderField("Upgrade", "websocket"), HeaderField("Connection", "Upgrade"),
            HeaderField("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ])
        #expect(String(buffer: HTTPMessageBytes.response(response)) == """
            HTTP/1.1 101 Switching Protocols\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r
            \r

            """)
    }

    @Test func chunkedBodyIsFramedWithContentLengthInPlaceOfTransferEncoding() {
        let response = HTTPResponseRecord(status: 200, headers: [
            HeaderField("Content-Type", "text/plain"), HeaderField("Transfer-Encoding", "chunked"), HeaderField("Date", "x"),
        ], body: ByteBuffer(string: "40{\"sid\":\"a\"}"))
        #expect(String(buffer: HTTPMessageBytes.response(response)) == """
            HTTP/1.1 200 OK\r
            Content-Type: text/plain\r
            Content-Length: 13\r
            Date: x\r
            \r
            40{"sid":"a"}
            """)
    }

    @Test func bodyWithoutFramingHeaderGetsContentLengthAtTheEnd() {
        let request = HTTPRequestRecord(method: "POST", target: "/socket.io/?EIO=4", headers: [HeaderField("Host", "h")], body: ByteBuffer(string: "40"))
        #expect(String(buffer: HTTPMessageBytes.request(request)) == "POST /socket.io/?EIO=4 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n40")
    }
}
