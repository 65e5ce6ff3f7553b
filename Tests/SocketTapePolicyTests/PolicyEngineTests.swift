import NIOCore
import SocketTapePolicy
import SocketTapeWire
import Testing

/// One limit: 4 client messages at once, 2 a second.
let limitConfiguration = PolicyConfiguration(limits: [
    LimitRule(name: "limits[0]", messages: Rate(perSecond: 2, burst: 4))
])

func clientText(_ text: String) -> PolicyMessage {
    PolicyMessage(from: .client, isText: true, payload: ByteBuffer(string: text))
}

/// A client's Socket.IO EVENT as the proxy would hand it over (`42["name",…args]`).
func event(_ name: String, _ args: [JSONValue], namespace: String = "/") -> PolicyMessage {
    let packet = SocketIOPacket(type: .event, namespace: namespace, data: .array([.string(name)] + args))
    let text = "42" + (packet.data?.jsonText ?? "")
    return PolicyMessage(from: .client, isText: true, payload: ByteBuffer(string: text), socketIO: packet)
}

@Suite struct PolicyEngineTests {
    @Test func noRulesPassEverything() {
        let engine = PolicyEngine(configuration: .none)
        #expect(engine.check(clientText("anything"), identity: "a", now: 0) == .pass)
    }

    @Test func exampleEventSchemaNamesTheArgumentsMember() async throws {
        let engine = PolicyEngine(configuration: try await exampleConfiguration())
        let good = event("message", [["roomId": "r1", "text": "hi"]])
        #expect(engine.check(good, identity: "u", now: 0) == .pass)
        let long = JSONValue.string(String(repeating: "x", count: 501))
        #expect(engine.check(event("message", [["roomId": "r1", "text": long]]), identity: "u", now: 0)
            == .act(.drop, rule: "validation.events.message", detail: "/text: longer than 500 characters"))
        #expect(engine.check(event("message", [["roomId": "r1"]]), identity: "u", now: 0)
            == .act(.drop, rule: "validation.events.message", detail: "/text: required but missing"))
        // Two arguments: the schema sees the array of arguments.
        #expect(engine.check(event("message", [["roomId": "r1", "text": "a"], 2]), identity: "u", now: 0)
            == .act(.drop, rule: "validation.events.message", detail: "(root): expected object, got array"))
        // Other events are not checked against it.
        #expect(engine.check(event("typing", [1, 2]), identity: "u", now: 0) == .pass)
    }

    @Test func exampleLimitAllowsTheBurstThenTwentyASecond() async throws {
        let engine = PolicyEngine(configuration: try await exampleConfiguration())
        let message = event("typing", [])
        let first = (0..<41).map { _ in engine.check(message, identity: "u", now: 0) }
        #expect(first.prefix(40).allSatisfy { $0 == .pass })
        #expect(first[40] == .act(.drop, rule: "limits[0]", detail: "messages: 20/s exceeded"))
        #expect(engine.check(message, identity: "other", now: 0) == .pass)
        #expect(engine.check(message, identity: "u", now: second / 20) == .pass)
        // Server messages are not counted by a client rule.
        let fromServer = PolicyMessage(from: .server, isText: true, payload: ByteBuffer(string: "x"))
        #expect(engine.check(fromServer, identity: "u", now: 0) == .pass)
    }

    @Test func validationComesBeforeLimitsAndTakesNoTokens() {
        let configuration = PolicyConfiguration(
            limits: [LimitRule(name: "one", messages: Rate(perSecond: 1, burst: 1))],
            validation: ValidationRules(maxMessageBytes: 3)
        )
        let engine = PolicyEngine(configuration: configuration)
        #expect(engine.check(clientText("toolong"), identity: "u", now: 0)
            == .act(.drop, rule: "validation.max-message-bytes", detail: "7 bytes, more than 3"))
        #expect(engine.check(clientText("ok"), identity: "u", now: 0) == .pass)
        #expect(engine.check(clientText("ok"), identity: "u", now: 0) == .act(.drop, rule: "one", detail: "messages: 1/s exceeded"))
        #expect(Rate(perSecond: 1.0 / 60, burst: 1).description == "1/min")
        #expect(Rate(perSecond: 5.0 / 3600, burst: 1).description == "5/h")
        #expect(Rate(perSecond: 0.4, burst: 1).description == "24/min")
        #expect(Rate(perSecond: 1.0 / 7, burst: 1).description == "0.14285714285714285/s")
    }

    @Test func checkOrder() {
        var validation = ValidationRules(
            maxMessageBytes: 100, utf8: true, json: true, socketIOShape: true,
            allowedEvents: ["/": ["message"]], action: .close
        )
        validation.events["message"] = EventRule(schema: JSONSchema(types: [.string]), action: .drop)
        let engine = PolicyEngine(configuration: PolicyConfiguration(validation: validation))
        let big = PolicyMessage(from: .client, isText: false, payload: ByteBuffer(bytes: [UInt8](repeating: 0xFF, count: 101)))
        #expect(engine.check(big, identity: "u", now: 0) == .act(.close, rule: "validation.max-message-bytes", detail: "101 bytes, more than 100"))
        let binary = PolicyMessage(from: .client, isText: false, payload: ByteBuffer(bytes: [0xFF]))
        #expect(engine.check(binary, identity: "u", now: 0) == .act(.close, rule: "validation.utf8", detail: "not valid UTF-8"))
        #expect(engine.check(clientText("{"), identity: "u", now: 0)
            == .act(.close, rule: "validation.json", detail: "invalid JSON at byte 1: expected a member name"))
        let undecodable = PolicyMessage(from: .client, isText: true, payload: ByteBuffer(string: "4{"), socketIOError: "Socket.IO: bad")
        #expect(engine.check(undecodable, identity: "u", now: 0) == .act(.close, rule: "validation.socket-io-shape", detail: "Socket.IO: bad"))
        #expect(engine.check(event("join", []), identity: "u", now: 0)
            == .act(.close, rule: "validation.allowed-events", detail: "event 'join' is not allowed in /"))
        #expect(engine.check(event("message", [], namespace: "/admin"), identity: "u", now: 0)
            == .act(.close, rule: "validation.allowed-events", detail: "namespace /admin allows no events"))
        #expect(engine.check(event("message", [1]), identity: "u", now: 0)
            == .act(.drop, rule: "validation.events.message", detail: "(root): expected string, got integer"))
        #expect(engine.check(event("message", ["hi"]), identity: "u", now: 0) == .pass)
    }

    @Test func aLogRuleDoesNotHideALaterDrop() {
        let configuration = PolicyConfiguration(limits: [
            LimitRule(name: "watch", messages: Rate(perSecond: 1, burst: 1), action: .log),
            LimitRule(name: "stop", messages: Rate(perSecond: 1, burst: 2), action: .drop),
        ])
        let engine = PolicyEngine(configuration: configuration)
        #expect(engine.check(clientText("1"), identity: "u", now: 0) == .pass)
        #expect(engine.check(clientText("2"), identity: "u", now: 0) == .act(.log, rule: "watch", detail: "messages: 1/s exceeded"))
        #expect(engine.check(clientText("3"), identity: "u", now: 0) == .act(.drop, rule: "stop", detail: "messages: 1/s exceeded"))
    }

    @Test func bytesAndEventFilters() {
        let configuration = PolicyConfiguration(limits: [
            LimitRule(name: "bytes", bytes: Rate(perSecond: 10, burst: 10), event: "upload", namespace: "/files", action: .close)
        ])
        let engine = PolicyEngine(configuration: configuration)
        let upload = event("upload", ["12345"], namespace: "/files")  // 42/files,["upload","12345"] is 28 bytes
        #expect(engine.check(upload, identity: "u", now: 0) == .act(.close, rule: "bytes", detail: "bytes: 10/s exceeded"))
        #expect(engine.check(event("upload", ["12345"]), identity: "u", now: 0) == .pass)
        #expect(engine.check(clientText(String(repeating: "x", count: 50)), identity: "u", now: 0) == .pass)
    }

    @Test func plainWebSocketMessageSchema() {
        let validation = ValidationRules(messageSchema: EventRule(schema: JSONSchema(types: [.object], required: ["type"]), action: .close))
        let engine = PolicyEngine(configuration: PolicyConfiguration(validation: validation))
        #expect(engine.check(clientText(#"{"type":"hi"}"#), identity: "u", now: 0) == .pass)
        #expect(engine.check(clientText("{}"), identity: "u", now: 0) == .act(.close, rule: "validation.message-schema", detail: "/type: required but missing"))
        #expect(engine.check(clientText("nope"), identity: "u", now: 0)
            == .act(.close, rule: "validation.message-schema", detail: "invalid JSON at byte 0: invalid literal (expected null)"))
        // Binary messages are not JSON-checked.
        let binary = PolicyMessage(from: .client, isText: false, payload: ByteBuffer(bytes: [1, 2]))
        #expect(engine.check(binary, identity: "u", now: 0) == .pass)
    }

    @Test func connectionsAndOrigins() {
        let configuration = PolicyConfiguration(origins: ["https://a.example"], connections: ConnectionLimits(perMinute: 2))
        let engine = PolicyEngine(configuration: configuration)
        #expect(engine.admitsNewConnection(identity: "u", now: 0))
        #expect(engine.admitsNewConnection(identity: "u", now: 0))
        #expect(!engine.admitsNewConnection(identity: "u", now: 0))
        #expect(engine.admitsNewConnection(identity: "u", now: 30 * second))
        #expect(engine.allowsOrigin("https://a.example"))
        #expect(!engine.allowsOrigin("https://evil.example"))
        #expect(!engine.allowsOrigin(nil))
        #expect(PolicyEngine(configuration: .none).allowsOrigin(nil))
    }
}

@Suite struct IdentityTests {
    let headers: [(name: String, value: String)] = [
        ("Host", "x"), ("x-user", " alice "), ("X-Forwarded-For", "203.0.113.7, 10.0.0.2"),
        ("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwib3JnIjo3fQ.sig"),
    ]

    func key(_ source: IdentitySource, remote: String = "10.0.0.1:5000", target: String = "/?room=1&token=a%20b", auth: JSONValue? = nil) -> String? {
        source.key(remoteAddress: remote, headers: headers, target: target, socketIOAuth: auth)
    }

    @Test func sources() {
        #expect(key(.remoteAddress) == "10.0.0.1")
        #expect(key(.remoteAddress, remote: "[::1]:80") == "::1")
        #expect(key(.header("X-User")) == "alice")
        #expect(key(.header("X-Missing")) == nil)
        #expect(key(.query("token")) == "a b")
        #expect(key(.query("absent")) == nil)
        #expect(key(.socketIOAuthToken, auth: ["token": "t1"]) == "t1")
        #expect(key(.socketIOAuthToken) == nil)
        #expect(key(.jwtClaim("sub")) == "user-42")
        #expect(key(.jwtClaim("org")) == "7")
        #expect(key(.jwtClaim("missing")) == nil)
    }

    @Test func forwardedForTrustsOnlyConfiguredProxies() {
        let source = IdentitySource.forwardedFor(trustedProxies: ["10.0.0.0/8"])
        // The peer and the last hop are trusted: the client is the rightmost untrusted address.
        #expect(key(source) == "203.0.113.7")
        // An untrusted peer's header is ignored.
        #expect(key(source, remote: "198.51.100.1:1") == "198.51.100.1")
        #expect(key(.forwardedFor(trustedProxies: ["10.0.0.1"])) == "10.0.0.2")
        #expect(key(.forwardedFor(trustedProxies: ["::1"]), remote: "[::1]:9") == "10.0.0.2")
        #expect(key(.forwardedFor(trustedProxies: ["::ffff:10.0.0.1"])) == "10.0.0.2")
    }
}
