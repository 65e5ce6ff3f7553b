/// The grammar of a `Sec-WebSocket-Extensions` header value (RFC 6455 §9.1):
///
///     extension-list = 1#( extension-token *( ";" name [ "=" ( token | quoted-string ) ] ) )
///
/// with optional whitespace around separators and empty list elements ignored (RFC 7230 §7).
struct WebSocketExtensionHeader {
    struct Parameter: Equatable {
        var name: String
        /// nil when the parameter has no value; quoted strings are unquoted and unescaped.
        var value: String?
    }

    struct Element: Equatable {
        var name: String
        var parameters: [Parameter]
    }

    /// Splits a header value into its extension elements.
    static func parse(_ value: String) throws(WebSocketExtensionNegotiationError) -> [Element] {
        var scanner = Scanner(bytes: Array(value.utf8))
        var elements: [Element] = []
        while true {
            scanner.skipWhitespace()
            guard let byte = scanner.peek() else { return elements }
            if byte == UInt8(ascii: ",") {
                scanner.index += 1
                continue
            }
            var element = Element(name: try scanner.token("an extension name"), parameters: [])
            scanner.skipWhitespace()
            while scanner.peek() == UInt8(ascii: ";") {
                scanner.index += 1
                scanner.skipWhitespace()
                var parameter = Parameter(name: try scanner.token("a parameter name"), value: nil)
                scanner.skipWhitespace()
                if scanner.peek() == UInt8(ascii: "=") {
                    scanner.index += 1
                    scanner.skipWhitespace()
                    parameter.value =
                        scanner.peek() == UInt8(ascii: "\"")
                        ? try scanner.quotedString() : try scanner.token("a value for \(parameter.name)")
                    scanner.skipWhitespace()
                }
                element.parameters.append(parameter)
            }
            if let byte = scanner.peek(), byte != UInt8(ascii: ",") {
                throw scanner.error("unexpected character '\(UnicodeScalar(byte))'")
            }
            elements.append(element)
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        func peek() -> UInt8? {
            index < bytes.count ? bytes[index] : nil
        }

        func error(_ what: String) -> WebSocketExtensionNegotiationError {
            WebSocketExtensionNegotiationError("Sec-WebSocket-Extensions: \(what) at offset \(index)")
        }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
            }
        }

        /// A token (RFC 7230 §3.2.6): one or more tchars.
        mutating func token(_ what: String) throws(WebSocketExtensionNegotiationError) -> String {
            let start = index
            while let byte = peek(), HTTPFieldSyntax.isTokenCharacter(byte) {
                index += 1
            }
            guard index > start else { throw error("expected \(what)") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A quoted string (RFC 7230 §3.2.6), returned without quotes and with escapes resolved.
        mutating func quotedString() throws(WebSocketExtensionNegotiationError) -> String {
            index += 1
            var value: [UInt8] = []
            while let byte = peek() {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: value, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek() else { break }
                    value.append(escaped)
                    index += 1
                default:
                    value.append(byte)
                }
            }
            throw error("unterminated quoted string")
        }

    }
}
