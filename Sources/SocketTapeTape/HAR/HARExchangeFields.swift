import NIOCore
import SocketTapeWire

/// Reading a HAR entry's `request` and `response` objects back into records.
extension JSONFields {
    /// The request; its target is `target` when given (SocketTape writes it when the URL cannot
    /// say it), else the URL's path and query.
    func harRequest(target: String?) throws(JSONLinesError) -> HTTPRequestRecord {
        let url = try string("url")
        return HTTPRequestRecord(
            method: try string("method"),
            target: target ?? HARURL.target(of: url),
            headers: try harHeaders(),
            body: try optionalObject("postData")?.harBody(encodingKey: "_encoding") ?? ByteBuffer()
        )
    }

    /// The response; status 0 (a browser's "no answer") is none.
    func harResponse() throws(JSONLinesError) -> HTTPResponseRecord? {
        let status: Int = try integer("status")
        guard status != 0 else { return nil }
        let body = try optionalObject("content")?.harBody(encodingKey: "encoding") ?? ByteBuffer()
        return HTTPResponseRecord(status: status, headers: try harHeaders(), body: body)
    }

    /// `headers`: `[{"name":…,"value":…}]`; missing means none.
    private func harHeaders() throws(JSONLinesError) -> [HeaderField] {
        guard let value = optional("headers") else { return [] }
        guard case .array(let elements) = value else { throw invalid("headers", "an array of {\"name\", \"value\"} objects") }
        var headers: [HeaderField] = []
        for element in elements {
            guard case .object(let header) = element, case .string(let name)? = header["name"], case .string(let value)? = header["value"] else {
                throw invalid("headers", "an array of {\"name\", \"value\"} objects")
            }
            headers.append(HeaderField(name, value))
        }
        return headers
    }

    /// `text`, decoded from base64 when `encodingKey` says `"base64"`; missing text is an empty body.
    private func harBody(encodingKey: String) throws(JSONLinesError) -> ByteBuffer {
        guard try optionalString(encodingKey) == "base64" else { return ByteBuffer(string: try optionalString("text") ?? "") }
        return try base64("text") ?? ByteBuffer()
    }
}
