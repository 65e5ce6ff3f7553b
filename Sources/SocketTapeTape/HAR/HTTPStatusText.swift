/// The reason phrases HAR's `statusText` shows for the statuses WebSocket and Engine.IO traffic
/// meets (RFC 9110 §15); other statuses get an empty text.
enum HTTPStatusText {
    private static let phrases: [Int: String] = [
        101: "Switching Protocols", 200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found",
        304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    ]

    static func phrase(for status: Int) -> String { phrases[status] ?? "" }
}
