extension PerMessageDeflateParameters {
    /// A server's `Sec-WebSocket-Extensions` response value with `client_no_context_takeover`
    /// added to its permessage-deflate element (when it is not there yet).
    ///
    /// A server may always include that parameter in its response (RFC 7692 §7.1.1.1); the client
    /// must then compress every message on its own. A proxy that may drop client messages needs
    /// that: the server's inflater never misses context it was meant to have. The server is not
    /// affected, since a message compressed without context takeover inflates the same either way.
    /// Other extensions and parameters are kept in order.
    ///
    /// - Throws: ``WebSocketExtensionNegotiationError`` when the value does not parse.
    public static func requiringClientNoContextTakeover(inResponseHeader value: String) throws(WebSocketExtensionNegotiationError) -> String {
        let name = "client_no_context_takeover"
        return try WebSocketExtensionHeader.parse(value).map { element -> String in
            var element = element
            if element.name.lowercased() == "permessage-deflate", !element.parameters.contains(where: { $0.name.lowercased() == name }) {
                element.parameters.append(.init(name: name, value: nil))
            }
            return element.headerText
        }.joined(separator: ", ")
    }
}

extension WebSocketExtensionHeader.Element {
    /// The element as header text: `name; parameter; parameter=value` (values quoted when they are not tokens).
    fileprivate var headerText: String {
        ([name] + parameters.map { parameter in
            guard let value = parameter.value else { return parameter.name }
            let isToken = !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !Array("()<>@,;:\\\"/[]?={}".utf8).contains($0) }
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            return "\(parameter.name)=" + (isToken ? value : "\"\(escaped)\"")
        }).joined(separator: "; ")
    }
}
