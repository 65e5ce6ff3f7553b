import NIOCore
import SocketTapeTape

/// HTTP/1.1 requests and responses rebuilt from their records, as they would have crossed the wire.
///
/// The start line, then the headers in recorded order and spelling, a blank line and the body.
/// The tape holds bodies de-chunked, so a message that has a body or declared one
/// (`Content-Length` or `Transfer-Encoding`) is framed with a `Content-Length` of the recorded
/// body instead: it takes the place of the first framing header, and the others are left out. A
/// message that had neither keeps its headers as recorded. Responses carry the standard reason
/// phrase of their status (none for statuses this table does not know, which HTTP/1.1 allows).
enum HTTPMessageBytes {
    /// The request's bytes.
    static func request(_ request: HTTPRequestRecord) -> ByteBuffer {
        message(startLine: "\(request.method) \(request.target) HTTP/1.1", headers: request.headers, body: request.body)
    }

    /// The response's bytes.
    static func response(_ response: HTTPResponseRecord) -> ByteBuffer {
        message(startLine: "HTTP/1.1 \(response.status) \(HTTPStatusText.phrase(for: response.status))", headers: response.headers, body: response.body)
    }

    private static func message(startLine: String, headers: [HeaderField], body: ByteBuffer) -> ByteBuffer {
        var bytes = ByteBufferAllocator().buffer(capacity: 256 + body.readableBytes)
        bytes.writeString(startLine)
        bytes.writeString("\r\n")
        for field in framed(headers, bodyLength: body.readableBytes) {
            bytes.writeString("\(field.name): \(field.value)\r\n")
        }
        bytes.writeString("\r\n")
        bytes.writeImmutableBuffer(body)
        return bytes
    }

    /// `headers` with their framing replaced by a `Content-Length` of `bodyLength` (see the type's discussion).
    private static func framed(_ headers: [HeaderField], bodyLength: Int) -> [HeaderField] {
        let isFraming = { (field: HeaderField) in
            let name = field.name.lowercased()
            return name == "content-length" || name == "transfer-encoding"
        }
        guard bodyLength > 0 || headers.contains(where: isFraming) else { return headers }
        var result = headers.filter { !isFraming($0) }
        let position = headers.firstIndex(where: isFraming).map { index in headers[..<index].count(where: { !isFraming($0) }) }
        result.insert(HeaderField("Content-Length", String(bodyLength)), at: position ?? result.count)
        return result
    }
}
