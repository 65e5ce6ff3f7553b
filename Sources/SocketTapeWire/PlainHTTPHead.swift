/// The head of an HTTP/1.1 message without a body, read strictly: the common case of a proxy's
/// WebSocket handshake (a `GET` with `Upgrade: websocket`, and its `101 Switching Protocols`).
///
/// This reader accepts only what it can pass on unchanged without judging: a start line of
/// single spaces, `HTTP/1.1`, field lines `name: value` of visible ASCII ending in CRLF, and no
/// `Content-Length` or `Transfer-Encoding` (so no body follows the head). Everything else —
/// bodies, HTTP/1.0, obsolete line folding, bare LF, bytes over 0x7E, malformed lines, a head
/// over the size limit — is ``ReadResult/unsupported``, and the caller hands the bytes to a
/// complete HTTP/1.1 parser instead, which reads or refuses them as it would have without this
/// reader. Being wrong here can therefore only cost speed, never accept what the full parser
/// refuses.
public struct PlainHTTPHead {
    /// What the start line says.
    public enum StartLine: Sendable, Equatable {
        case request(method: String, target: String)
        case response(status: Int, reason: String)
    }

    /// Which start line a head must have.
    public enum Kind: Sendable {
        case request
        case response
    }

    /// What reading found at the start of the bytes.
    public enum ReadResult {
        /// The head is not complete yet.
        case incomplete
        /// A head of `length` bytes, its empty last line included.
        case head(PlainHTTPHead, length: Int)
        /// Bytes this reader does not take: give them to a full parser.
        case unsupported
    }

    public var startLine: StartLine
    /// The header fields in order as (name, value), as sent (values without surrounding spaces).
    public var fields: [(String, String)]

    /// Reads a head from the start of `bytes`.
    ///
    /// - Parameter maxLength: the longest head taken; without an end within it, the bytes are
    ///   ``ReadResult/unsupported``.
    public static func read(_ bytes: UnsafeRawBufferPointer, kind: Kind, maxLength: Int) -> ReadResult {
        let length: Int
        switch headEnd(bytes, maxLength: maxLength) {
        case .found(let end): length = end
        case .notYet: return .incomplete
        case .unsupported: return .unsupported
        }
        var lines = LineReader(bytes: bytes, end: length)
        guard let first = lines.next(), let startLine = startLine(first, kind: kind) else { return .unsupported }
        var fields: [(String, String)] = []
        fields.reserveCapacity(12)
        while let line = lines.next(), !line.isEmpty {
            guard let field = field(line) else { return .unsupported }
            fields.append(field)
        }
        return .head(PlainHTTPHead(startLine: startLine, fields: fields), length: length)
    }

    private enum HeadEnd {
        case found(Int)
        case notYet
        case unsupported
    }

    /// Where the first CR LF CR LF ends. A bare LF (which a full parser may take as a line end),
    /// or no end within `maxLength`, is for the full parser to judge.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer, maxLength: Int) -> HeadEnd {
        let limit = min(bytes.count, maxLength)
        var index = 0
        while index < limit {
            if bytes[index] == UInt8(ascii: "\n") {
                guard index > 0, bytes[index - 1] == UInt8(ascii: "\r") else { return .unsupported }
                if index >= 3, bytes[index - 2] == UInt8(ascii: "\n") { return .found(index + 1) }
            }
            index += 1
        }
        return bytes.count >= maxLength ? .unsupported : .notYet
    }

    private static func startLine(_ line: UnsafeRawBufferPointer.SubSequence, kind: Kind) -> StartLine? {
        switch kind {
        case .request:
            // method SP request-target SP HTTP/1.1
            guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")),
                  let lastSpace = line.lastIndex(of: UInt8(ascii: " ")), lastSpace > firstSpace + 1,
                  firstSpace > line.startIndex,
                  line[(lastSpace + 1)...].elementsEqual(version),
                  line[..<firstSpace].allSatisfy(HTTPFieldSyntax.isTokenCharacter),
                  line[(firstSpace + 1)..<lastSpace].allSatisfy(isVisible)
            else { return nil }
            return .request(method: text(line[..<firstSpace]), target: text(line[(firstSpace + 1)..<lastSpace]))
        case .response:
            // HTTP/1.1 SP 3DIGIT [SP reason]
            let start = line.startIndex
            guard line.count >= 12, line[start..<(start + 8)].elementsEqual(version), line[start + 8] == UInt8(ascii: " "),
                  line[(start + 9)..<(start + 12)].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return nil }
            let status = line[(start + 9)..<(start + 12)].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard status >= 100 else { return nil }
            if line.count == 12 { return .response(status: status, reason: "") }
            let reason = line[(start + 13)...]
            guard line[start + 12] == UInt8(ascii: " "), reason.allSatisfy(isValueByte) else { return nil }
            return .response(status: status, reason: text(reason))
        }
    }

    /// `name: value`, or nil for a line this reader does not take (including the framing fields).
    private static func field(_ line: UnsafeRawBufferPointer.SubSequence) -> (String, String)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[..<colon].allSatisfy(HTTPFieldSyntax.isTokenCharacter)
        else { return nil }
        let name = line[..<colon]
        if isFramingField(name) { return nil }
        let value = line[(colon + 1)...].trimmingSpaces
        guard value.allSatisfy(isValueByte) else { return nil }
        return (text(name), text(value))
    }

    /// `Content-Length` or `Transfer-Encoding`, in any case.
    private static func isFramingField(_ name: UnsafeRawBufferPointer.SubSequence) -> Bool {
        switch (name.count, name.first.map(asciiLowercase)) {
        case (14, UInt8(ascii: "c")?): name.caseInsensitiveEquals(contentLength)
        case (17, UInt8(ascii: "t")?): name.caseInsensitiveEquals(transferEncoding)
        default: false
        }
    }

    private static let contentLength = Array("content-length".utf8)
    private static let transferEncoding = Array("transfer-encoding".utf8)
    private static let version = Array("HTTP/1.1".utf8)

    /// A visible ASCII character (VCHAR without obs-text).
    private static func isVisible(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// A byte of a field value or reason phrase taken here: visible ASCII, space or tab.
    private static func isValueByte(_ byte: UInt8) -> Bool {
        isVisible(byte) || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func text(_ bytes: UnsafeRawBufferPointer.SubSequence) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The CR LF-terminated lines of a head; a line with a CR or LF inside it is passed on whole,
    /// for the byte checks to refuse.
    private struct LineReader {
        let bytes: UnsafeRawBufferPointer
        let end: Int
        var position = 0

        init(bytes: UnsafeRawBufferPointer, end: Int) {
            self.bytes = bytes
            self.end = end
        }

        mutating func next() -> UnsafeRawBufferPointer.SubSequence? {
            guard position < end else { return nil }
            var index = position
            while index + 1 < end, !(bytes[index] == UInt8(ascii: "\r") && bytes[index + 1] == UInt8(ascii: "\n")) {
                index += 1
            }
            defer { position = index + 2 }
            return bytes[position..<index]
        }
    }
}
