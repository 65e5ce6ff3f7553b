import NIOCore
import NIOHTTP1

/// A handshake the server answered with something other than 101: collects the start of the
/// body, whose first line goes into the error (`handshake: server answered HTTP 404 Not Found: no entry`).
///
/// Collecting stops at the end of the first line, at the end of the body (`Content-Length`),
/// or after ``limit`` bytes; the connection's close or the handshake deadline end it too.
struct HandshakeRefusal {
    /// The most body bytes kept.
    static let limit = 1024

    let head: HTTPResponseHead
    private var body = ByteBuffer()
    private let contentLength: Int?
    /// Whether the body is chunked: its first line is then a chunk size, skipped.
    private let chunked: Bool

    init(head: HTTPResponseHead) {
        self.head = head
        contentLength = head.headers["Content-Length"].first.flatMap { Int($0) }
        chunked = head.headers[canonicalForm: "Transfer-Encoding"].contains { $0.lowercased() == "chunked" }
    }

    /// Adds body bytes; returns whether enough is in for the error.
    mutating func append(_ bytes: ByteBuffer) -> Bool {
        var bytes = bytes
        if let slice = bytes.readSlice(length: min(bytes.readableBytes, Self.limit - body.readableBytes)) {
            body.writeImmutableBuffer(slice)
        }
        return body.readableBytes >= min(contentLength ?? Self.limit, Self.limit) || firstLine(complete: true) != nil
    }

    /// The error to report.
    var error: ReplayClientError {
        var text = "handshake: server answered HTTP \(head.status.code)"
        if !head.status.reasonPhrase.isEmpty { text += " \(head.status.reasonPhrase)" }
        if let line = firstLine(complete: false), !line.isEmpty { text += ": \(line)" }
        return ReplayClientError(.handshake, text, httpStatus: Int(head.status.code))
    }

    /// The body's first line (of the first chunk when chunked), at most 200 characters; nil
    /// when `complete` and no line end has arrived yet.
    private func firstLine(complete: Bool) -> String? {
        // "\r\n" is one Character in Swift, and a newline like "\n".
        var lines = String(buffer: body).split(maxSplits: 2, omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if chunked, !lines.isEmpty { lines.removeFirst() }
        guard let first = lines.first, !complete || lines.count > 1 else { return nil }
        return String(first.prefix(200))
    }
}
