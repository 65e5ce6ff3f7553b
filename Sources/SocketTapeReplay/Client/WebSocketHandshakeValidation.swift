import NIOHTTP1

/// Checks a server's answer to the opening handshake (RFC 6455 §4.1, the client's checks).
enum WebSocketHandshakeValidation {
    /// Validates a `101` answer.
    ///
    /// Required: HTTP/1.1; `Upgrade: websocket` and a `Connection` header with the `upgrade`
    /// token (both case-insensitive); `Sec-WebSocket-Accept` equal to the value computed from the
    /// key; no `Sec-WebSocket-Extensions` (none was offered); a `Sec-WebSocket-Protocol`, if
    /// present, that was offered.
    ///
    /// - Returns: The subprotocol the server chose, if any.
    /// - Throws: ``ReplayClientError`` of kind ``ReplayClientError/Kind/handshake`` naming the first failed check.
    static func check(
        _ head: HTTPResponseHead,
        key: String,
        offeredProtocols: [String]
    ) throws(ReplayClientError) -> String? {
        precondition(head.status == .switchingProtocols, "only a 101 answer is validated")
        guard head.version == .http1_1 else {
            throw failure("101 answer is \(head.version), not HTTP/1.1")
        }
        guard head.headers["Upgrade"].map({ $0.lowercased() }) == ["websocket"] else {
            throw failure("101 answer has Upgrade '\(head.headers["Upgrade"].joined(separator: ", "))', not 'websocket'")
        }
        guard head.headers[canonicalForm: "Connection"].contains(where: { $0.lowercased() == "upgrade" }) else {
            throw failure("101 answer has no 'Connection: Upgrade'")
        }
        let accept = head.headers["Sec-WebSocket-Accept"]
        let expected = WebSocketHandshakeKey.accept(for: key)
        guard accept == [expected] else {
            let shown = accept.isEmpty ? "no Sec-WebSocket-Accept" : "Sec-WebSocket-Accept '\(accept.joined(separator: ", "))'"
            throw failure("101 answer has \(shown); expected '\(expected)'")
        }
        let extensions = head.headers["Sec-WebSocket-Extensions"]
        guard extensions.isEmpty else {
            throw failure("server accepted extensions '\(extensions.joined(separator: ", "))' that were not offered")
        }
        let chosen = head.headers["Sec-WebSocket-Protocol"]
        guard let subprotocol = chosen.first else { return nil }
        guard chosen.count == 1, offeredProtocols.contains(subprotocol) else {
            throw failure("server chose subprotocol '\(chosen.joined(separator: ", "))', which was not offered")
        }
        return subprotocol
    }

    private static func failure(_ problem: String) -> ReplayClientError {
        ReplayClientError(.handshake, "handshake: \(problem)")
    }
}
