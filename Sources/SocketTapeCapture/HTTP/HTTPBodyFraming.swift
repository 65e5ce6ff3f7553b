import SocketTapeWire

/// How the body of an HTTP/1.x message is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: a request without Content-Length or Transfer-Encoding, a response to HEAD, 1xx, 204 or 304.
    case none
    case length(Int)
    case chunked
    /// A response without either header: the body runs until the server closes the connection.
    case untilClose

    /// The framing a message head declares.
    ///
    /// - Parameter requestMethod: for a response, the method of the request it answers.
    public static func of(_ head: HTTPMessageHead, requestMethod: String?) throws(HTTPStreamError) -> HTTPBodyFraming {
        if case .response(let status) = head.startLine {
            if requestMethod == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304 { return .none }
        }
        if head.headerLists("Transfer-Encoding", token: "chunked") { return .chunked }
        if let length = head.header("Content-Length") {
            guard let count = Int(length.trimmingSpaces), count >= 0 else {
                throw HTTPStreamError("Content-Length \"\(length)\" is not a byte count")
            }
            return .length(count)
        }
        if case .response = head.startLine { return .untilClose }
        return .none
    }
}
