import SocketTapeWire

/// What `authentication.jwt` decides for a request, from the token it carries.
public enum HandshakeAuthentication: Sendable, Equatable {
    /// Let it pass: its session is authenticated. `claims` are those of its token, nil when an
    /// earlier request of the session authenticated it (an Engine.IO v3 session's later requests).
    case authenticated(claims: JSONObject?)
    /// Let it pass without a valid token: a Socket.IO v5 session, each of whose CONNECT packets
    /// must carry one (``PolicyEngine/authenticateConnect(_:handshakeAuthenticated:now:)``).
    case connectMustAuthenticate
    /// Refuse it (HTTP 401), for this reason.
    case refuse(TokenRejection)

    /// Whether the session's CONNECT packets pass without a token of their own.
    public var isAuthenticated: Bool {
        if case .authenticated = self { return true }
        return false
    }
}

/// What `authentication.jwt` decides for a Socket.IO CONNECT packet from a client.
public enum ConnectVerdict: Sendable, Equatable {
    /// Forward it. `claims` are those of the token in its auth payload, nil when it needed none
    /// (the handshake authenticated the session, no authentication is configured, or the packet
    /// is not a CONNECT).
    case pass(claims: JSONObject?)
    /// Do not forward it: answer the client with `reply`, a CONNECT_ERROR for the packet's
    /// namespace (`4{"message":"unauthorized: …"}`), and record `rule` with action `refuse`.
    case refuse(reply: SocketIOPacket, rule: String, detail: String)
}

extension PolicyEngine {
    /// The verdict of `authentication.jwt` on a request that starts or continues a session; nil
    /// when no authentication is configured. Plain HTTP requests are not asked about.
    ///
    /// A valid token (``TokenLocation``) authenticates. Without one:
    /// - a request that starts a session — a plain WebSocket upgrade, or an Engine.IO request
    ///   without `sid` — is refused, except that a Socket.IO v5 (`EIO=4`) handshake with *no*
    ///   token passes, its CONNECT packets to be checked instead (many Socket.io clients cannot
    ///   set headers and send the token in the CONNECT's auth). A v4 (`EIO=3`) session must
    ///   authenticate at the handshake: its client sends no CONNECT for the default namespace.
    /// - a later request of an Engine.IO session (a poll, the upgrade to WebSocket) is never
    ///   refused: a v3 session was authenticated by its handshake; in a v4 one, CONNECT packets
    ///   must authenticate unless this request's token is valid.
    ///
    /// - Parameters:
    ///   - socketIO: the Socket.IO version of an Engine.IO request; nil for a plain WebSocket upgrade.
    ///   - startsSession: whether the request starts a session (an Engine.IO request without `sid`
    ///     or a plain upgrade), not continues one.
    ///   - now: seconds since 1970-01-01T00:00:00Z.
    public func authenticateHandshake(
        headers: [(name: String, value: String)], target: String, socketIO: SocketIOVersion?, startsSession: Bool,
        now: Double = TokenVerifier.currentTime()
    ) -> HandshakeAuthentication? {
        guard let authentication = configuration.authentication else { return nil }
        let rejection: TokenRejection
        if let token = authentication.token.token(headers: headers, target: target) {
            do throws(TokenRejection) {
                return .authenticated(claims: try authentication.verifier.verify(token, now: now))
            } catch {
                rejection = error
            }
        } else {
            rejection = .missing(place: authentication.token.place)
        }
        switch (socketIO, startsSession) {
        case (nil, _): return .refuse(rejection)
        case (.v4, false): return .authenticated(claims: nil)
        case (.v5, false): return .connectMustAuthenticate
        case (.v4, true): return .refuse(rejection)
        case (.v5, true):
            if case .missing = rejection { return .connectMustAuthenticate }
            return .refuse(rejection)
        }
    }

    /// Whether a Socket.IO CONNECT packet from a client may go to the server.
    ///
    /// With `authentication.jwt`, in a session its handshake did not authenticate
    /// (``HandshakeAuthentication/connectMustAuthenticate``), the packet's auth payload must
    /// carry a valid token: `{"token": "<JWT>"}` (`io({ auth: { token } })`). Other packets,
    /// and every packet without authentication configured, pass.
    ///
    /// The polling transport calls this for each CONNECT in a POST body, as the WebSocket relay
    /// does for each CONNECT message; on ``ConnectVerdict/refuse(reply:rule:detail:)`` the
    /// packet is not forwarded and `reply` goes to the client.
    ///
    /// - Parameter now: seconds since 1970-01-01T00:00:00Z.
    public func authenticateConnect(
        _ packet: SocketIOPacket, handshakeAuthenticated: Bool, now: Double = TokenVerifier.currentTime()
    ) -> ConnectVerdict {
        guard let authentication = configuration.authentication, !handshakeAuthenticated, packet.type == .connect else {
            return .pass(claims: nil)
        }
        let rejection: TokenRejection
        if let token = packet.data?.objectValue?["token"]?.stringValue, !token.isEmpty {
            do throws(TokenRejection) {
                return .pass(claims: try authentication.verifier.verify(token, now: now))
            } catch {
                rejection = error
            }
        } else {
            rejection = .missing(place: "the CONNECT packet's auth")
        }
        let reply = SocketIOPacket(
            type: .connectError, namespace: packet.namespace, data: ["message": .string("unauthorized: \(rejection)")]
        )
        return .refuse(reply: reply, rule: JWTAuthentication.rule, detail: "CONNECT \(packet.namespace): \(rejection)")
    }
}
