import NIOHTTP1
import SocketTapeWire

/// Rewrites headers as a reverse proxy must (RFC 9110 §7.6.1) when passing a message on.
///
/// Hop-by-hop fields — `Connection`, every field `Connection` names, `Keep-Alive`,
/// `Proxy-Connection`, `TE`, `Trailer` and `Upgrade` — are dropped. For a WebSocket upgrade,
/// `Connection` and `Upgrade` are kept as they were written, since the upgrade is exactly what is
/// being relayed. Message framing (`Content-Length`, `Transfer-Encoding`) is left to NIO's
/// encoders, which keep it consistent with how the body is written.
enum ForwardingHeaders {
    private static let hopByHop = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"]

    /// The headers of `headers` that may travel beyond this hop.
    ///
    /// - Parameter keepingUpgrade: keep `Connection` and `Upgrade` (a WebSocket handshake).
    static func endToEnd(_ headers: HTTPHeaders, keepingUpgrade: Bool = false) -> HTTPHeaders {
        // Names compared in place, without lowercased copies, split lists or hashing: a handful of
        // fields per message, on every connection the proxy opens.
        var connectionValues: [String] = []
        for (name, value) in headers where name.caseInsensitiveEquals("connection") {
            connectionValues.append(value)
        }
        func isHopByHop(_ name: String) -> Bool {
            if keepingUpgrade, name.caseInsensitiveEquals("connection") || name.caseInsensitiveEquals("upgrade") {
                return false
            }
            return hopByHop.contains { name.caseInsensitiveEquals($0) } || connectionValues.contains { $0.listsToken(name) }
        }
        // A WebSocket handshake usually has nothing to drop: then the headers go on as they are.
        guard headers.contains(where: { isHopByHop($0.name) }) else { return headers }
        var result = HTTPHeaders()
        result.reserveCapacity(headers.count)
        for (name, value) in headers where !isHopByHop(name) {
            result.add(name: name, value: value)
        }
        return result
    }

    /// The request head to send upstream.
    ///
    /// - Parameters:
    ///   - head: the request as the client sent it.
    ///   - target: the request target to use upstream.
    ///   - clientAddress: the client's IP address, appended to `X-Forwarded-For`.
    ///   - clientUsedTLS: sets `X-Forwarded-Proto` to `https` or `http`.
    ///   - isUpgrade: whether this is a WebSocket handshake, whose `Connection` and `Upgrade` stay.
    static func upstreamRequest(
        _ head: HTTPRequestHead,
        target: String,
        clientAddress: String?,
        clientUsedTLS: Bool,
        isUpgrade: Bool
    ) -> HTTPRequestHead {
        var headers = endToEnd(head.headers, keepingUpgrade: isUpgrade)
        if let clientAddress {
            let previous = head.headers["X-Forwarded-For"].joined(separator: ", ")
            headers.remove(name: "X-Forwarded-For")
            headers.add(name: "X-Forwarded-For", value: previous.isEmpty ? clientAddress : "\(previous), \(clientAddress)")
        }
        headers.replaceOrAdd(name: "X-Forwarded-Proto", value: clientUsedTLS ? "https" : "http")
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: target, headers: headers)
    }

    /// The response head to send to the client.
    static func clientResponse(_ head: HTTPResponseHead) -> HTTPResponseHead {
        let isUpgrade = head.status == .switchingProtocols
        return HTTPResponseHead(version: head.version, status: head.status, headers: endToEnd(head.headers, keepingUpgrade: isUpgrade))
    }
}
