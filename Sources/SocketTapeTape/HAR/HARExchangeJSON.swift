import NIOCore
import SocketTapeWire

/// The `request` and `response` objects of a HAR entry.
enum HARExchangeJSON {
    static func request(_ request: HTTPRequestRecord, url: String) -> JSONValue {
        var object: JSONObject = [
            "method": .string(request.method),
            "url": .string(url),
            "httpVersion": "HTTP/1.1",
            "headers": headers(request.headers),
            "queryString": .array(HARURL.queryString(of: request.target).map { ["name": .string($0.name), "value": .string($0.value)] }),
            "cookies": [],
            "headersSize": -1,
            "bodySize": .integer(request.body.readableBytes),
        ]
        if request.body.readableBytes > 0 {
            var postData: JSONObject = ["mimeType": .string(contentType(request.headers))]
            postData.members += body(request.body, encodingKey: "_encoding")
            object["postData"] = .object(postData)
        }
        return .object(object)
    }

    /// A missing response is status 0, as browsers write a request that got no answer.
    static func response(_ response: HTTPResponseRecord?) -> JSONValue {
        let response = response ?? HTTPResponseRecord(status: 0, headers: [])
        var content: JSONObject = ["size": .integer(response.body.readableBytes), "mimeType": .string(contentType(response.headers))]
        content.members += body(response.body, encodingKey: "encoding")
        return [
            "status": .integer(response.status),
            "statusText": .string(HTTPStatusText.phrase(for: response.status)),
            "httpVersion": "HTTP/1.1",
            "headers": headers(response.headers),
            "cookies": [],
            "content": .object(content),
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        ]
    }

    /// HAR's `[{"name":…,"value":…}]`, in order.
    private static func headers(_ headers: [HeaderField]) -> JSONValue {
        .array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
    }

    private static func contentType(_ headers: [HeaderField]) -> String {
        headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
    }

    /// `text` (UTF-8), or `text` in base64 and `encodingKey: "base64"`; nothing for an empty body.
    private static func body(_ body: ByteBuffer, encodingKey: String) -> [JSONObject.Member] {
        guard body.readableBytes > 0 else { return [] }
        if let text = body.validatedUTF8String { return [("text", .string(text))] }
        return [("text", .string(Base64.encode(body))), (encodingKey, "base64")]
    }
}
