import NIOCore
import NIOHTTP1
import SocketTapeWire

/// Reads an HTTP/1.x response head — status line and header fields (RFC 9112 §4, §5) — from
/// the start of a byte stream, with a size limit.
///
/// Lines may end in CRLF or a bare LF (RFC 9112 §2.2 lets a recipient accept that). Refused:
/// a head over the limit, a status line that is not `HTTP/D.D NNN [reason]`, a field line
/// without a colon or with a name that is not a token, and obsolete line folding.
struct HTTPResponseHeadParser {
    /// The largest head accepted, in bytes, terminators included.
    let maxSize: Int
    private var buffer = ByteBuffer()
    /// Where the line being scanned starts, and how far it has been scanned (reader-relative).
    private var lineStart = 0
    private var scanned = 0

    init(maxSize: Int) {
        self.maxSize = maxSize
    }

    /// Adds bytes and tries to read the head.
    ///
    /// - Returns: The head and the bytes after it, or nil when the head is not complete yet.
    /// - Throws: ``ReplayClientError`` of kind ``ReplayClientError/Kind/handshake``.
    mutating func parse(appending bytes: ByteBuffer) throws(ReplayClientError) -> (HTTPResponseHead, ByteBuffer)? {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            buffer.writeImmutableBuffer(bytes)
        }
        guard let length = headLength() else {
            if buffer.readableBytes > maxSize {
                throw ReplayClientError(.handshake, "handshake: response head exceeds \(maxSize) bytes")
            }
            return nil
        }
        guard length <= maxSize else {
            throw ReplayClientError(.handshake, "handshake: response head exceeds \(maxSize) bytes")
        }
        let text = buffer.readString(length: length)!
        let rest = buffer.readSlice(length: buffer.readableBytes)!
        return (try Self.head(from: text), rest)
    }

    /// The length of the head up to and including the empty line that ends it, once buffered.
    private mutating func headLength() -> Int? {
        let view = buffer.readableBytesView
        while scanned < view.count {
            let byte = view[view.startIndex + scanned]
            scanned += 1
            guard byte == UInt8(ascii: "\n") else { continue }
            let lineLength = scanned - 1 - lineStart
            let isEmpty = lineLength == 0 || (lineLength == 1 && view[view.startIndex + lineStart] == UInt8(ascii: "\r"))
            lineStart = scanned
            if isEmpty, scanned > 2 { return scanned }
        }
        return nil
    }

    private static func head(from text: String) throws(ReplayClientError) -> HTTPResponseHead {
        // "\r\n" is one Character in Swift, and a newline like "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else {
            throw ReplayClientError(.handshake, "handshake: empty response")
        }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let version = Self.version(parts[0]),
              parts[1].count == 3, let status = Int(parts[1]), status >= 100
        else {
            throw ReplayClientError(.handshake, "handshake: the answer is not HTTP: '\(statusLine.prefix(80))'")
        }
        let reason = parts.count == 3 ? String(parts[2]) : ""
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), let first = line.first, first != " ", first != "\t" else {
                throw ReplayClientError(.handshake, "handshake: malformed response header line '\(line.prefix(80))'")
            }
            let name = String(line[..<colon])
            guard HTTPFieldSyntax.isToken(name) else {
                throw ReplayClientError(.handshake, "handshake: malformed response header name '\(name.prefix(80))'")
            }
            let value = line[line.index(after: colon)...].trimmingBlanks()
            headers.add(name: name, value: value)
        }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status, reasonPhrase: reason), headers: headers)
    }

    /// `HTTP/1.1` → 1.1; nil for anything else.
    private static func version(_ text: Substring) -> HTTPVersion? {
        let digits = text.utf8
        guard text.hasPrefix("HTTP/"), digits.count == 8,
              let major = Int(text.dropFirst(5).prefix(1)), text.dropFirst(6).first == ".",
              let minor = Int(text.suffix(1))
        else { return nil }
        return HTTPVersion(major: major, minor: minor)
    }
}
