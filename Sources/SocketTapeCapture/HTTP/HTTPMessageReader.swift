import NIOCore
import SocketTapeTape
import SocketTapeWire

/// Reads the HTTP/1.x messages of one direction of a captured connection, as bytes arrive.
///
/// Feed bytes with ``append(_:)`` and call ``next(requestMethod:)`` until it returns nil. Each
/// message comes out whole: head and de-chunked body (kept up to a limit, the rest counted).
/// Only HTTP/1.0 and 1.1 are read; the project parses captured HTTP itself because NIO's codecs
/// live in channel pipelines, want a live peer, and stop at the first byte they do not like,
/// while a capture needs to skip to the next message it can find (``resynchronize()``).
///
/// Enforced: a start line of the expected kind, `name: value` header lines, a head of at most
/// ``maxHeadBytes``, a numeric Content-Length and hexadecimal chunk sizes. Not enforced: header
/// value syntax, obsolete line folding (taken as a malformed line).
public struct HTTPMessageReader {
    /// What the direction carries.
    public enum Kind: Sendable {
        case requests
        case responses
    }

    /// One message of the stream.
    public struct Message: Sendable, Equatable {
        public var head: HTTPMessageHead
        public var body: ByteBuffer
        /// Body bytes that crossed but were not kept (over the body limit).
        public var droppedBodyBytes: Int
    }

    /// The longest head accepted.
    public static let maxHeadBytes = 64 * 1024

    private let kind: Kind
    private let bodyLimit: Int
    private var buffer = ByteBuffer()
    /// The head read and the body so far, while a body is incomplete.
    private var partial: (head: HTTPMessageHead, framing: HTTPBodyFraming, body: ByteBuffer, dropped: Int)?
    private var chunks = ChunkedBodyState.size

    private enum ChunkedBodyState {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
    }

    /// - Parameter bodyLimit: the most body bytes kept per message.
    public init(kind: Kind, bodyLimit: Int = 1 << 20) {
        self.kind = kind
        self.bodyLimit = bodyLimit
    }

    /// Adds the next bytes of the direction.
    public mutating func append(_ bytes: ByteBuffer) {
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            var bytes = bytes
            buffer.writeBuffer(&bytes)
        }
    }

    /// Bytes appended but not yet part of a returned message.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// Whether a message has started (head or body bytes read) and not ended.
    public var isInsideMessage: Bool { partial != nil || buffer.readableBytes > 0 }

    /// Takes what is buffered after the last message (the first bytes of the protocol a 101
    /// switched to) and leaves the reader empty.
    public mutating func takeRemainingBytes() -> ByteBuffer {
        defer { buffer = ByteBuffer() }
        return buffer
    }

    /// The next complete message, or nil when more bytes are needed.
    ///
    /// - Parameter requestMethod: for a response stream, the method of the request the next
    ///   response answers (a response to HEAD has no body).
    /// - Throws: ``HTTPStreamError`` when the bytes are not HTTP; call ``resynchronize()`` to go on.
    public mutating func next(requestMethod: String? = nil) throws(HTTPStreamError) -> Message? {
        if partial == nil {
            guard let head = try readHead() else { return nil }
            partial = (head, try HTTPBodyFraming.of(head, requestMethod: requestMethod), ByteBuffer(), 0)
            chunks = .size
        }
        guard try readBody() else { return nil }
        defer { partial = nil }
        return partial.map { Message(head: $0.head, body: $0.body, droppedBodyBytes: $0.dropped) }
    }

    /// The connection ended: a response whose body runs until the close is complete now.
    public mutating func finishAtClose() -> Message? {
        guard let current = partial, current.framing == .untilClose else { return nil }
        var body = current.body
        var rest = takeRemainingBytes()
        body.writeBuffer(&rest)
        partial = nil
        return Message(head: current.head, body: body, droppedBodyBytes: current.dropped)
    }

    /// Drops the message in progress and the bytes before the next start line found in the
    /// buffer (after a hole in the capture, or bytes that are not HTTP); returns how many bytes
    /// were skipped. Without a start line in the buffer, all of it is skipped.
    @discardableResult
    public mutating func resynchronize() -> Int {
        partial = nil
        let view = buffer.readableBytesView
        let offset = HTTPStartLineScanner(kind: kind).firstStartLine(in: view) ?? view.count
        buffer.moveReaderIndex(forwardBy: offset)
        return offset
    }

    // MARK: Head

    private mutating func readHead() throws(HTTPStreamError) -> HTTPMessageHead? {
        let view = buffer.readableBytesView
        guard let end = Self.endOfHead(in: view) else {
            if view.count > Self.maxHeadBytes {
                throw HTTPStreamError("a message head longer than \(Self.maxHeadBytes) bytes")
            }
            return nil
        }
        // Parsed as bytes, decoded to text only for the parts kept: as Characters, CR LF is one
        // grapheme (it would not split on LF), and every search walks grapheme boundaries.
        let head = Array(view[view.startIndex..<view.startIndex + end.headLength])
        buffer.moveReaderIndex(forwardBy: end.total)
        var lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        let startLine = lines.removeFirst()
        var headers: [HeaderField] = []
        headers.reserveCapacity(lines.count)
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex,
                  line[..<colon].allSatisfy(HTTPFieldSyntax.isTokenCharacter) else {
                throw HTTPStreamError("a header line that is not \"name: value\": \(Self.text(line).prefix(80))")
            }
            headers.append(HeaderField(Self.text(line[..<colon]), Self.text(line[(colon + 1)...].trimmingSpaces)))
        }
        let (start, version) = try parseStartLine(startLine)
        return HTTPMessageHead(startLine: start, version: version, headers: headers)
    }

    private func parseStartLine(_ line: ArraySlice<UInt8>) throws(HTTPStreamError) -> (HTTPMessageHead.StartLine, String) {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        let httpVersionPrefix = "HTTP/1.".utf8
        switch kind {
        case .requests:
            guard parts.count == 3, parts[2].starts(with: httpVersionPrefix), !parts[0].isEmpty,
                  parts[0].allSatisfy(HTTPFieldSyntax.isTokenCharacter), !parts[1].isEmpty else {
                throw HTTPStreamError("not an HTTP/1.x request line: \(Self.text(line).prefix(80))")
            }
            return (.request(method: Self.text(parts[0]), target: Self.text(parts[1])), Self.text(parts[2]))
        case .responses:
            guard parts.count >= 2, parts[0].starts(with: httpVersionPrefix), parts[1].count == 3,
                  let status = Int(Self.text(parts[1])) else {
                throw HTTPStreamError("not an HTTP/1.x status line: \(Self.text(line).prefix(80))")
            }
            return (.response(status: status), Self.text(parts[0]))
        }
    }

    /// Bytes of a head as text (invalid UTF-8 replaced).
    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Where the head ends: the length of its text (without the empty line) and with it.
    private static func endOfHead(in view: ByteBufferView) -> (headLength: Int, total: Int)? {
        var index = view.startIndex
        while let newline = view[index...].firstIndex(of: 0x0A) {
            let next = newline + 1
            if next < view.endIndex, view[next] == 0x0A {
                return (newline - view.startIndex, next + 1 - view.startIndex)
            }
            if next + 1 < view.endIndex, view[next] == 0x0D, view[next + 1] == 0x0A {
                return (newline - view.startIndex, next + 2 - view.startIndex)
            }
            index = next
        }
        return nil
    }

    // MARK: Body

    /// Reads body bytes; returns whether the body is complete.
    private mutating func readBody() throws(HTTPStreamError) -> Bool {
        guard let framing = partial?.framing else { return true }
        switch framing {
        case .none:
            return true
        case .length(let total):
            let have = partial!.body.readableBytes + partial!.dropped
            keepBody(min(total - have, buffer.readableBytes))
            return partial!.body.readableBytes + partial!.dropped == total
        case .untilClose:
            keepBody(buffer.readableBytes)
            return false
        case .chunked:
            return try readChunks()
        }
    }

    private mutating func readChunks() throws(HTTPStreamError) -> Bool {
        while true {
            switch chunks {
            case .size:
                guard let line = takeLine() else { return false }
                let sizeText = line.prefix { $0 != ";" }.trimmingSpaces
                guard let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw HTTPStreamError("a chunk size that is not hexadecimal: \(line.prefix(40))")
                }
                chunks = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let count = min(remaining, buffer.readableBytes)
                keepBody(count)
                guard count == remaining else {
                    chunks = .data(remaining: remaining - count)
                    return false
                }
                chunks = .dataEnd
            case .dataEnd:
                guard let line = takeLine() else { return false }
                guard line.isEmpty else { throw HTTPStreamError("chunk data longer than its size") }
                chunks = .size
            case .trailers:
                guard let line = takeLine() else { return false }
                if line.isEmpty { return true }
            }
        }
    }

    /// Moves `count` buffered bytes into the body, keeping up to the body limit.
    private mutating func keepBody(_ count: Int) {
        guard count > 0, var slice = buffer.readSlice(length: count) else { return }
        let room = max(0, bodyLimit - partial!.body.readableBytes)
        if slice.readableBytes > room {
            partial!.dropped += slice.readableBytes - room
            slice = slice.getSlice(at: slice.readerIndex, length: room)!
        }
        partial!.body.writeBuffer(&slice)
    }

    /// A line (without CRLF or LF) when a whole one is buffered.
    private mutating func takeLine() -> Substring? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: 0x0A) else { return nil }
        let bytes = view[view.startIndex..<newline]
        let line = Substring(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self)
        buffer.moveReaderIndex(forwardBy: newline + 1 - view.startIndex)
        return line
    }
}
