/// The kind of a failed session's error, for counting: `connect`, `tls`, `handshake`,
/// `protocol`, `connection-lost`, `close-timeout`, `polling`, `timeout` or `other`.
///
/// Read from the error's one-line description, whose opening words name the stage that failed
/// (``ReplayClientError`` and the Engine.IO connection write them so). An Engine.IO prefix
/// (`Engine.IO handshake: connect to … failed`) gives way to what it wraps when that is known.
enum LoadErrorKind {
    static func of(_ error: String) -> String {
        for (prefix, kind) in engineIOPrefixes where error.hasPrefix(prefix) {
            let inner = of(String(error.dropFirst(prefix.count)))
            return inner == "other" ? kind : inner
        }
        return prefixes.first { error.hasPrefix($0.prefix) }?.kind ?? "other"
    }

    private static let engineIOPrefixes: [(prefix: String, kind: String)] = [
        ("Engine.IO handshake: ", "handshake"), ("Engine.IO upgrade: ", "handshake"),
        ("Engine.IO poll: ", "polling"), ("Engine.IO POST: ", "polling"), ("Engine.IO: ", "polling"),
    ]

    private static let prefixes: [(prefix: String, kind: String)] = [
        ("connect to ", "connect"), ("connect failed", "connect"), ("TLS with ", "tls"), ("handshake: ", "handshake"), ("no handshake within ", "handshake"),
        ("server broke RFC 6455", "protocol"), ("connection closed by the server", "connection-lost"),
        ("connection failed: ", "connection-lost"), ("close: ", "close-timeout"), ("HTTP: ", "polling"),
        ("the replay's --timeout", "timeout"),
    ]
}
