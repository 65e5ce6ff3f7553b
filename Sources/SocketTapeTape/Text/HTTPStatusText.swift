/// The reason phrases (RFC 9110 §15) of the statuses WebSocket and Engine.IO traffic meets, for
/// what SocketTape writes itself: HAR's `statusText`, the status lines of a synthesised pcap.
/// Other statuses get an empty phrase, which HTTP/1.1 allows.
public enum HTTPStatusText {
    private static let phrases: [Int: String] = [
        101: "Switching Protocols", 200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found",
        304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        426: "Upgrade Required", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]

    /// The phrase of `status`, or `""`.
    public static func phrase(for status: Int) -> String { phrases[status] ?? "" }
}
