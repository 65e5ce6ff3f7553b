import SocketTapeTape
import SocketTapeWire

/// Request headers the user sets for every replayed connection (`--header NAME:VALUE`), over
/// the recorded ones.
///
/// Each override replaces every recorded header of the same name (compared case-insensitively)
/// where the first of them stood, or is added at the end. `Host` may be overridden (to reach a
/// virtual host through an address). The headers the WebSocket handshake itself needs —
/// `Upgrade`, `Connection`, `Sec-WebSocket-Key`, `Sec-WebSocket-Version` — and
/// `Sec-WebSocket-Extensions` (the replayer offers no compression), `Content-Length` and
/// `Transfer-Encoding` are the replayer's and cannot be.
public struct ReplayHeaderOverrides: Sendable, Equatable {
    /// The overrides in the order given; a name given twice keeps both values.
    public private(set) var fields: [HeaderField]

    /// No overrides.
    public init() {
        fields = []
    }

    /// Checks the overrides.
    ///
    /// - Throws: ``ReplayConfigurationError`` naming the first header whose name is not an HTTP
    ///   token, whose value holds a line break or control character, or that the replayer sets itself.
    public init(_ fields: [HeaderField]) throws(ReplayConfigurationError) {
        for field in fields {
            guard HTTPFieldSyntax.isToken(field.name) else {
                throw ReplayConfigurationError("--header '\(field.name)': not a valid header name")
            }
            guard HTTPFieldSyntax.isValidValue(field.value) else {
                throw ReplayConfigurationError("--header \(field.name): the value holds a line break or control character")
            }
            guard !Self.managedByReplayer.contains(field.name.lowercased()) else {
                throw ReplayConfigurationError("--header \(field.name): set by the replayer for every connection; cannot be overridden")
            }
        }
        self.fields = fields
    }

    /// Parses `NAME:VALUE` arguments (spaces around the value are dropped) and checks them.
    ///
    /// - Throws: ``ReplayConfigurationError`` for an argument without a colon, and as ``init(_:)``.
    public init(parsing arguments: [String]) throws(ReplayConfigurationError) {
        var fields: [HeaderField] = []
        for argument in arguments {
            guard let colon = argument.firstIndex(of: ":") else {
                throw ReplayConfigurationError("--header '\(argument)': expected NAME:VALUE")
            }
            let value = argument[argument.index(after: colon)...].trimmingBlanks()
            fields.append(HeaderField(String(argument[..<colon]), value))
        }
        try self.init(fields)
    }

    /// Lower-cased names of the request headers the replayer writes itself (besides `Host`).
    static let managedByReplayer: Set<String> = [
        "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-extensions", "content-length", "transfer-encoding",
    ]

    /// `recorded` with the overrides applied and the replayer's own headers (and `Host`) removed.
    ///
    /// - Returns: The headers, and the `Host` override if there is one.
    func apply(to recorded: [HeaderField]) -> (headers: [HeaderField], host: String?) {
        var headers: [HeaderField] = []
        headers.reserveCapacity(recorded.count + fields.count)
        var host: String?
        let overridden = Set(fields.map { $0.name.lowercased() })
        var placed = Set<String>()
        for field in recorded {
            let name = field.name.lowercased()
            if name == "host" || Self.managedByReplayer.contains(name) { continue }
            guard overridden.contains(name) else {
                headers.append(field)
                continue
            }
            if placed.insert(name).inserted {
                headers.append(contentsOf: fields.filter { $0.name.lowercased() == name })
            }
        }
        for field in fields where !placed.contains(field.name.lowercased()) {
            if field.name.lowercased() == "host" {
                host = field.value
            } else {
                headers.append(field)
            }
        }
        return (headers, host)
    }
}
