import NIOCore

/// Finds where an HTTP/1.x message starts in bytes of unknown alignment (after a hole in a
/// capture, or a capture that began mid-connection).
struct HTTPStartLineScanner {
    let kind: HTTPMessageReader.Kind

    /// The methods a request line is recognised by (RFC 9110 §9 and PATCH).
    private static let methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE"]
        .map { Array(($0 + " ").utf8) }
    private static let responsePrefix = Array("HTTP/1.".utf8)
    private static let requestVersion = Array(" HTTP/1.".utf8)

    /// The offset of the first line start that begins a message of the scanner's kind.
    func firstStartLine(in view: ByteBufferView) -> Int? {
        var lineStart = view.startIndex
        while lineStart < view.endIndex {
            if matches(view, at: lineStart) { return lineStart - view.startIndex }
            guard let newline = view[lineStart...].firstIndex(of: 0x0A) else { return nil }
            lineStart = newline + 1
        }
        return nil
    }

    private func matches(_ view: ByteBufferView, at start: Int) -> Bool {
        switch kind {
        case .responses:
            return view[start...].starts(with: Self.responsePrefix)
        case .requests:
            guard Self.methods.contains(where: { view[start...].starts(with: $0) }) else { return false }
            // The request line must be whole and name an HTTP/1.x version.
            guard let newline = view[start...].firstIndex(of: 0x0A) else { return false }
            let line = Array(view[start..<newline])
            return line.indices.contains { line[$0...].starts(with: Self.requestVersion) }
        }
    }
}
