import NIOCore
import SocketTapeCapture
import SocketTapeTape
import Testing

@Suite struct HTTPMessageReaderTests {
    private func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func readsARequestWithAContentLengthBodyByteByByte() throws {
        var reader = HTTPMessageReader(kind: .requests)
        let text = "POST /socket.io/?EIO=4&sid=a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n42[1]"
        var messages: [HTTPMessageReader.Message] = []
        for byte in text.utf8 {
            reader.append(ByteBuffer(bytes: [byte]))
            if let message = try reader.next() { messages.append(message) }
        }
        #expect(messages.count == 1)
        #expect(messages[0].head.startLine == .request(method: "POST", target: "/socket.io/?EIO=4&sid=a"))
        #expect(messages[0].head.headers == [HeaderField("Host", "x"), HeaderField("Content-Length", "5")])
        #expect(messages[0].body == bytes("42[1]"))
    }

    @Test func dechunksAResponseAndKeepsPipelinedOnesApart() throws {
        var reader = HTTPMessageReader(kind: .responses)
        reader.append(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))
        let first = try reader.next(requestMethod: "GET")
        #expect(first?.body == bytes("abcde"))
        let second = try reader.next(requestMethod: "GET")
        #expect(second?.head.startLine == .response(status: 204))
        #expect(try reader.next() == nil)
    }

    @Test func aResponseToHEADHasNoBodyAndAnUnframedOneEndsAtTheClose() throws {
        var reader = HTTPMessageReader(kind: .responses)
        reader.append(bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.0 200 OK\r\n\r\nuntil the end"))
        let head = try reader.next(requestMethod: "HEAD")
        #expect(head?.body.readableBytes == 0)
        #expect(try reader.next(requestMethod: "GET") == nil)
        #expect(reader.finishAtClose()?.body == bytes("until the end"))
    }

    @Test func keepsTheBodyUpToTheLimitAndCountsTheRest() throws {
        var reader = HTTPMessageReader(kind: .requests, bodyLimit: 4)
        reader.append(bytes("PUT / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"))
        let message = try reader.next()
        #expect(message?.body == bytes("0123"))
        #expect(message?.droppedBodyBytes == 6)
    }

    @Test func refusesWhatIsNotHTTPAndResynchronisesAtTheNextRequestLine() throws {
        var reader = HTTPMessageReader(kind: .requests)
        reader.append(bytes("garbage\r\n\r\nGET /next HTTP/1.1\r\n\r\n"))
        #expect(throws: HTTPStreamError("not an HTTP/1.x request line: garbage")) { try reader.next() }
        reader.append(bytes("mid-body bytes\r\nGET /again HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(reader.resynchronize() == 0)  // "GET /next" starts the buffer after the bad head was consumed
        #expect(try reader.next()?.head.startLine == .request(method: "GET", target: "/next"))
        #expect(reader.resynchronize() == "mid-body bytes\r\n".utf8.count)
        #expect(try reader.next()?.head.startLine == .request(method: "GET", target: "/again"))
    }

    @Test func refusesABadContentLengthAndABadChunkSize() {
        var lengths = HTTPMessageReader(kind: .requests)
        lengths.append(bytes("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n"))
        #expect(throws: HTTPStreamError("Content-Length \"ten\" is not a byte count")) { try lengths.next() }
        var chunks = HTTPMessageReader(kind: .responses)
        chunks.append(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        #expect(throws: HTTPStreamError("a chunk size that is not hexadecimal: zz")) { try chunks.next(requestMethod: "GET") }
    }
}
