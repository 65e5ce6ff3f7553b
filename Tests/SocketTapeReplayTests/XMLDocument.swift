/// A small XML reader for checking the JUnit report: elements, attributes, text, the five
/// predefined entities and numeric character references. It rejects what a conforming parser
/// rejects here (unbalanced tags, a raw `<` or `&` in text or attributes, unknown entities,
/// control characters XML 1.0 cannot carry) and normalises as one does (line breaks and tabs in
/// attribute values become spaces; a carriage return in text becomes a line feed).
struct XMLDocument {
    struct Element {
        var name: String
        var attributes: [String: String] = [:]
        var children: [Element] = []
        var text = ""
    }

    struct ParseError: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "\(reason) at \(offset)" }
    }

    let root: Element

    init(parsing xml: String) throws(ParseError) {
        var reader = Reader(scalars: Array(xml.unicodeScalars))
        if reader.skip("<?xml") {
            while !reader.skip("?>") { try reader.advance() }
        }
        reader.skipWhitespace()
        root = try reader.element()
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.error("text after the root element") }
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0

        var atEnd: Bool { index == scalars.count }
        var current: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        func error(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

        mutating func advance() throws(ParseError) {
            guard !atEnd else { throw error("unexpected end") }
            index += 1
        }

        mutating func skip(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            guard index + wanted.count <= scalars.count, Array(scalars[index..<index + wanted.count]) == wanted else { return false }
            index += wanted.count
            return true
        }

        mutating func skipWhitespace() {
            while let scalar = current, [" ", "\n", "\t", "\r"].contains(scalar) { index += 1 }
        }

        mutating func name() throws(ParseError) -> String {
            var name = ""
            while let scalar = current, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ["_", "-", ":", "."].contains(scalar) {
                name.unicodeScalars.append(scalar)
                index += 1
            }
            guard !name.isEmpty else { throw error("expected a name") }
            return name
        }

        /// One character of text or of an attribute value, with references resolved.
        mutating func character() throws(ParseError) -> Unicode.Scalar {
            guard let scalar = current else { throw error("unexpected end") }
            if scalar == "<" { throw error("raw '<'") }
            if scalar.value < 0x20, !["\t", "\n", "\r"].contains(scalar) { throw error("control character") }
            index += 1
            guard scalar == "&" else { return scalar }
            var reference = ""
            while let next = current, next != ";" {
                reference.unicodeScalars.append(next)
                try advance()
            }
            try advance()
            switch reference {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                let number = reference.hasPrefix("#x") ? UInt32(reference.dropFirst(2), radix: 16) : reference.hasPrefix("#") ? UInt32(reference.dropFirst()) : nil
                guard let number, let resolved = Unicode.Scalar(number) else { throw error("unknown entity &\(reference);") }
                return resolved
            }
        }

        mutating func element() throws(ParseError) -> Element {
            guard skip("<") else { throw error("expected '<'") }
            var element = Element(name: try name())
            while true {
                skipWhitespace()
                if skip("/>") { return element }
                if skip(">") { break }
                let attribute = try name()
                guard skip("=\"") else { throw error("expected '=\"'") }
                var value = ""
                while current != "\"" {
                    let raw = current
                    let scalar = try character()
                    // A literal line break or tab is normalised; a reference keeps the character.
                    value.unicodeScalars.append(raw == scalar && ["\n", "\t", "\r"].contains(scalar) ? " " : scalar)
                }
                try advance()
                guard element.attributes.updateValue(value, forKey: attribute) == nil else { throw error("attribute \(attribute) twice") }
            }
            while true {
                if skip("</") {
                    guard try name() == element.name, skip(">") else { throw error("mismatched end tag for \(element.name)") }
                    return element
                }
                if current == "<" {
                    element.children.append(try self.element())
                    continue
                }
                let raw = current
                let scalar = try character()
                element.text.unicodeScalars.append(raw == "\r" ? "\n" : scalar)
            }
        }
    }
}
