/// The negotiated parameters of the permessage-deflate extension (RFC 7692 §7.1).
public struct PerMessageDeflateParameters: Sendable, Hashable {
    /// The server resets its compression context after each message (§7.1.1.1).
    public var serverNoContextTakeover: Bool
    /// The client resets its compression context after each message (§7.1.1.2).
    public var clientNoContextTakeover: Bool
    /// Base-2 logarithm of the server's LZ77 window, 8...15 (§7.1.2.1).
    public var serverMaxWindowBits: Int
    /// Base-2 logarithm of the client's LZ77 window, 8...15 (§7.1.2.2).
    public var clientMaxWindowBits: Int

    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Reads what the server accepted from its `Sec-WebSocket-Extensions` response value.
    ///
    /// Other extensions in the value are skipped. Enforced, per RFC 7692 §7.1 (each violation
    /// means the client must fail the connection): permessage-deflate appears at most once;
    /// only the four parameters defined in §7.1 appear, each at most once; the
    /// `*_no_context_takeover` parameters have no value; both `*_max_window_bits` parameters
    /// have a value (a response must give one, §7.1.2.2) that is a decimal integer 8...15
    /// without leading zeros, as a token or a quoted string. Names compare case-insensitively.
    ///
    /// - Parameter fromResponseHeader: The header value; join repeated header lines with ", ".
    /// - Returns: The parameters, or nil when the server did not accept permessage-deflate.
    /// - Throws: ``WebSocketExtensionNegotiationError`` naming what is malformed.
    public static func negotiated(
        fromResponseHeader value: String
    ) throws(WebSocketExtensionNegotiationError) -> PerMessageDeflateParameters? {
        let accepted = try WebSocketExtensionHeader.parse(value).filter {
            $0.name.lowercased() == "permessage-deflate"
        }
        guard let element = accepted.first else { return nil }
        guard accepted.count == 1 else {
            throw WebSocketExtensionNegotiationError("permessage-deflate accepted more than once")
        }
        var parameters = PerMessageDeflateParameters()
        var seen: Set<String> = []
        for parameter in element.parameters {
            let name = parameter.name.lowercased()
            guard seen.insert(name).inserted else {
                throw WebSocketExtensionNegotiationError("permessage-deflate parameter \(name) given twice")
            }
            switch name {
            case "server_no_context_takeover":
                try requireNoValue(parameter)
                parameters.serverNoContextTakeover = true
            case "client_no_context_takeover":
                try requireNoValue(parameter)
                parameters.clientNoContextTakeover = true
            case "server_max_window_bits":
                parameters.serverMaxWindowBits = try windowBits(parameter)
            case "client_max_window_bits":
                parameters.clientMaxWindowBits = try windowBits(parameter)
            default:
                throw WebSocketExtensionNegotiationError("unknown permessage-deflate parameter \(parameter.name)")
            }
        }
        return parameters
    }

    private static func requireNoValue(_ parameter: WebSocketExtensionHeader.Parameter) throws(WebSocketExtensionNegotiationError) {
        guard parameter.value == nil else {
            throw WebSocketExtensionNegotiationError("permessage-deflate parameter \(parameter.name) takes no value")
        }
    }

    private static func windowBits(_ parameter: WebSocketExtensionHeader.Parameter) throws(WebSocketExtensionNegotiationError) -> Int {
        guard let value = parameter.value else {
            throw WebSocketExtensionNegotiationError("permessage-deflate parameter \(parameter.name) needs a value 8...15")
        }
        guard value.first != "0", value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let bits = Int(value), (8...15).contains(bits)
        else {
            throw WebSocketExtensionNegotiationError(
                "permessage-deflate parameter \(parameter.name)=\(value) is not an integer 8...15"
            )
        }
        return bits
    }
}
