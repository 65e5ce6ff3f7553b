import Foundation
import NIOCore
import SocketTapePolicy
import SocketTapeWire
import Testing

/// Which requests and CONNECT packets `authentication.jwt` lets through, and what it answers.
@Suite struct PolicyEngineAuthenticationTests {
    static func engine(_ extra: String = "") async throws -> PolicyEngine {
        let configuration = try await PolicyConfiguration.parse(
            yaml: "authentication:\n  jwt:\n    hmac-secret: \(Tokens.secret)\n\(extra)", file: "a.yaml")
        return PolicyEngine(configuration: configuration)
    }

    static func bearer(_ token: String) -> [(name: String, value: String)] {
        [("Host", "chat.example"), ("Authorization", "Bearer \(token)")]
    }

    @Test func noAuthenticationConfiguredAsksNothing() {
        let engine = PolicyEngine(configuration: .none)
        #expect(engine.authenticateHandshake(headers: [], target: "/", socketIO: nil, startsSession: true) == nil)
        #expect(engine.authenticateConnect(SocketIOPacket(type: .connect), handshakeAuthenticated: false) == .pass(claims: nil))
    }

    @Test func aValidTokenAuthenticatesEveryKindOfRequest() async throws {
        let engine = try await Self.engine()
        let token = try await Tokens.hmac(Claims(sub: "ann"))
        for socketIO in [nil, SocketIOVersion.v4, .v5] {
            for startsSession in [true, false] {
                let verdict = engine.authenticateHandshake(
                    headers: Self.bearer(token), target: "/", socketIO: socketIO, startsSession: startsSession, now: Tokens.now)
                #expect(verdict == .authenticated(claims: ["sub": "ann"]))
            }
        }
    }

    @Test func withoutAValidToken() async throws {
        let engine = try await Self.engine()
        let expired = Self.bearer(try await Tokens.hmac(Claims(exp: Tokens.now - 3600)))
        func verdict(_ headers: [(name: String, value: String)], _ socketIO: SocketIOVersion?, starts: Bool) -> HandshakeAuthentication? {
            engine.authenticateHandshake(headers: headers, target: "/", socketIO: socketIO, startsSession: starts, now: Tokens.now)
        }
        let missing = TokenRejection.missing(place: "Authorization: Bearer")
        // A plain WebSocket upgrade must carry one.
        #expect(verdict([], nil, starts: true) == .refuse(missing))
        #expect(verdict(expired, nil, starts: true) == .refuse(.expired(secondsAgo: 3600)))
        // A Socket.IO v5 handshake without one passes: its CONNECTs must carry one. A bad one is refused.
        #expect(verdict([], .v5, starts: true) == .connectMustAuthenticate)
        #expect(verdict([("Authorization", "Basic dTpw")], .v5, starts: true) == .connectMustAuthenticate)
        #expect(verdict(expired, .v5, starts: true) == .refuse(.expired(secondsAgo: 3600)))
        // Socket.IO v4 sends no CONNECT for "/": its handshake must authenticate.
        #expect(verdict([], .v4, starts: true) == .refuse(missing))
        // Later requests of a session are never refused.
        #expect(verdict(expired, .v5, starts: false) == .connectMustAuthenticate)
        #expect(verdict([], .v4, starts: false) == .authenticated(claims: nil))
    }

    @Test func tokenInAQueryParameterOrAnotherHeader() async throws {
        let token = try await Tokens.hmac(Claims(sub: "q"))
        let query = try await Self.engine("    token: { query: access_token }\n")
        #expect(query.authenticateHandshake(headers: Self.bearer(token), target: "/ws", socketIO: nil, startsSession: true, now: Tokens.now)
            == .refuse(.missing(place: "query parameter access_token")))
        let percentEncoded = token.replacingOccurrences(of: ".", with: "%2E")
        #expect(query.authenticateHandshake(
            headers: [], target: "/ws?room=1&access_token=\(percentEncoded)", socketIO: nil, startsSession: true, now: Tokens.now)
            == .authenticated(claims: ["sub": "q"]))
        let header = try await Self.engine("    token: { header: X-Token }\n")
        for value in [token, "Bearer \(token)", "bearer  \(token) "] {
            #expect(header.authenticateHandshake(headers: [("x-token", value)], target: "/", socketIO: nil, startsSession: true, now: Tokens.now)
                == .authenticated(claims: ["sub": "q"]))
        }
    }

    @Test func connectPacketsMustCarryAValidToken() async throws {
        let engine = try await Self.engine()
        let good = try await Tokens.hmac(Claims(sub: "sio"))
        let forged = try await Tokens.hmac(Claims(sub: "sio"), secret: "not the configured secret, but long")
        func connect(_ namespace: String, _ auth: JSONValue?) -> SocketIOPacket {
            SocketIOPacket(type: .connect, namespace: namespace, data: auth)
        }
        #expect(engine.authenticateConnect(connect("/", ["token": .string(good)]), handshakeAuthenticated: false, now: Tokens.now)
            == .pass(claims: ["sub": "sio"]))
        // The handshake authenticated the session: CONNECTs need nothing.
        #expect(engine.authenticateConnect(connect("/", nil), handshakeAuthenticated: true, now: Tokens.now) == .pass(claims: nil))
        // Other packets pass.
        #expect(engine.authenticateConnect(SocketIOPacket(type: .event, data: ["chat"]), handshakeAuthenticated: false) == .pass(claims: nil))

        guard case .refuse(let reply, let rule, let detail) = engine.authenticateConnect(
            connect("/admin", ["token": .string(forged)]), handshakeAuthenticated: false, now: Tokens.now)
        else {
            Issue.record("a forged token passed")
            return
        }
        #expect(rule == "authentication.jwt" && detail == "CONNECT /admin: bad signature")
        #expect(reply.encodedText == #"4/admin,{"message":"unauthorized: bad signature"}"#)
        #expect(reply.webSocketMessage.opcode == .text)
        #expect(String(buffer: reply.webSocketMessage.payload) == #"44/admin,{"message":"unauthorized: bad signature"}"#)

        let missing = engine.authenticateConnect(connect("/", ["user": "x"]), handshakeAuthenticated: false, now: Tokens.now)
        guard case .refuse(let missingReply, _, let missingDetail) = missing else {
            Issue.record("a CONNECT without a token passed")
            return
        }
        #expect(missingDetail == "CONNECT /: missing token (none in the CONNECT packet's auth)")
        #expect(String(buffer: missingReply.webSocketMessage.payload)
            == #"44{"message":"unauthorized: missing token (none in the CONNECT packet's auth)"}"#)
    }

    @Test func jwtClaimIdentityComesFromTheVerifiedClaims() async throws {
        let source = IdentitySource.jwtClaim("sub")
        let unverified = try await Tokens.hmac(Claims(sub: "claimed"), secret: "anyone can sign this, it is long")
        let headers = Self.bearer(unverified)
        func key(_ claims: ClaimSource) -> String? {
            source.key(remoteAddress: "10.0.0.1", headers: headers, target: "/", socketIOAuth: nil, claims: claims)
        }
        // Without authentication, the Bearer token is read as it is.
        #expect(key(.unverifiedToken) == "claimed")
        // With authentication, only verified claims count.
        #expect(key(.verified(["sub": "verified"])) == "verified")
        #expect(key(.verified(nil)) == nil)
    }
}
