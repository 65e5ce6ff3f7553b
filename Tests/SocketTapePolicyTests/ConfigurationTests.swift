import SocketTapePolicy
import SocketTapeWire
import Testing

/// The README's example configuration, as written there (`Fixtures/policy/example.yaml`).
let examplePath = String(#filePath.split(separator: "/Tests/").first!) + "/Fixtures/policy/example.yaml"

func exampleConfiguration() async throws -> PolicyConfiguration {
    try await PolicyConfiguration.load(path: examplePath)
}

/// The problems of `yaml` as `LINE:COLUMN: message` lines (the file name left out).
func problems(_ yaml: String, file: String = "c.yaml") async -> [String] {
    do throws(ConfigurationError) {
        _ = try await PolicyConfiguration.parse(yaml: yaml, file: file)
        return []
    } catch {
        return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
    }
}

@Suite struct ConfigurationTests {
    @Test func exampleParsesToTheExpectedValues() async throws {
        let configuration = try await exampleConfiguration()
        #expect(configuration.identity == .header("X-User"))
        #expect(configuration.limits == [
            LimitRule(name: "limits[0]", from: .client, messages: Rate(perSecond: 20, burst: 40), action: .drop)
        ])
        #expect(configuration.validation.maxMessageBytes == 65536)
        #expect(configuration.validation.utf8 == false)
        #expect(configuration.validation.action == .drop)
        let schema = JSONSchema(
            types: [.object],
            properties: [("roomId", JSONSchema(types: [.string])), ("text", JSONSchema(types: [.string], maxLength: 500))],
            required: ["roomId", "text"]
        )
        #expect(configuration.validation.events == ["message": EventRule(schema: schema, action: .drop)])
        #expect(configuration.origins == nil)
        #expect(configuration.connections == ConnectionLimits())
    }

    @Test func emptyFileIsNoRules() async throws {
        #expect(try await PolicyConfiguration.parse(yaml: "", file: "e.yaml") == .none)
        #expect(try await PolicyConfiguration.parse(yaml: "# nothing\n", file: "e.yaml") == .none)
    }

    @Test func everyKeyParses() async throws {
        let configuration = try await PolicyConfiguration.parse(yaml: """
            identity: { forwarded-for: [10.0.0.0/8, "::1"] }
            origins: [https://chat.example]
            connections: { max-concurrent: 10, per-minute: 30 }
            limits:
              - name: chat-events
                from: server
                messages: 1200/min
                bytes: { rate: 64K/s, burst: 1M }
                event: message
                namespace: /chat
                action: delay
            validation:
              max-message-bytes: 64K
              utf8: true
              json: true
              socket-io-shape: true
              allowed-events: { /: [message, join], /admin: [] }
              message-schema: { type: object }
              action: log
              events:
                join: { schema: { type: array, items: { type: string }, minItems: 1 } }
            """, file: "all.yaml")
        #expect(configuration.identity == .forwardedFor(trustedProxies: ["10.0.0.0/8", "::1"]))
        #expect(configuration.origins == ["https://chat.example"])
        #expect(configuration.connections == ConnectionLimits(maxConcurrent: 10, perMinute: 30))
        #expect(configuration.limits == [
            LimitRule(
                name: "chat-events", from: .server, messages: Rate(perSecond: 20, burst: 1200),
                bytes: Rate(perSecond: 65536, burst: 1_048_576), event: "message", namespace: "/chat", action: .delay)
        ])
        let validation = configuration.validation
        #expect(validation.maxMessageBytes == 65536)
        #expect(validation.utf8 && validation.json && validation.socketIOShape)
        #expect(validation.allowedEvents == ["/": ["message", "join"], "/admin": []])
        #expect(validation.messageSchema == EventRule(schema: JSONSchema(types: [.object]), action: .log))
        #expect(validation.events["join"] == EventRule(
            schema: JSONSchema(types: [.array], items: JSONSchema(types: [.string]), minItems: 1), action: .log))
    }

    static let rateTexts: [(text: String, perSecond: Double, burst: Double)] = [
        ("20/s", 20, 20), ("1200/min", 20, 1200), ("5/h", 5.0 / 3600, 5), ("0.5/s", 0.5, 0.5), ("3 / second", 3, 3),
    ]

    @Test(arguments: rateTexts)
    func rates(text: String, perSecond: Double, burst: Double) async throws {
        let configuration = try await PolicyConfiguration.parse(yaml: "limits: [{ messages: \"\(text)\" }]", file: "r.yaml")
        #expect(configuration.limits.first?.messages == Rate(perSecond: perSecond, burst: burst))
    }

    static let badConfigurations: [(yaml: String, problem: String)] = [
        ("limts: []", "1:1: unknown key 'limts' (did you mean 'limits'?)"),
        ("colour: red", "1:1: unknown key 'colour'"),
        ("identity: { heder: X-User }", "1:13: identity: unknown key 'heder' (did you mean 'header'?)"),
        ("identity: adress", "1:11: identity: unknown identity 'adress' (expected remote-address, socket-io-auth-token, { header: … }, { query: … }, { jwt-claim: … } or { forwarded-for: … })"),
        ("identity: { header: a, query: b }", "1:11: identity: give one source, not 2"),
        ("identity: { forwarded-for: [10.0.0.300] }", "1:29: identity.forwarded-for[0]: '10.0.0.300' is not an IP address or CIDR block"),
        ("limits: { messages: 1/s }", "1:9: limits: expected a list, got a mapping"),
        ("limits:\n  - messages: { rate: 20 per second }", "2:23: limits[0].messages.rate: expected N/s, N/min or N/h, got '20 per second'"),
        ("limits:\n  - messages: 20", "2:15: limits[0].messages: expected N/s, N/min or N/h, got 20"),
        ("limits:\n  - messages: 20/day", "2:15: limits[0].messages: expected N/s, N/min or N/h, got '20/day'"),
        ("limits:\n  - bytes: lots/s", "2:12: limits[0].bytes: expected N/s, N/min or N/h (N may end in K, M or G), got 'lots/s'"),
        ("limits:\n  - messages: { rate: 1/s, burst: 0 }", "2:35: limits[0].messages.burst: must be at least 1, got 0"),
        ("limits:\n  - messages: { rate: 1/s, brust: 2 }", "2:28: limits[0].messages: unknown key 'brust' (did you mean 'burst'?)"),
        ("limits:\n  - messages: 1/s\n    action: dorp", "3:13: limits[0].action: unknown action 'dorp' (did you mean 'drop'?)"),
        ("limits:\n  - messages: 1/s\n    action: ban", "3:13: limits[0].action: unknown action 'ban' (expected drop, delay, close or log)"),
        ("limits:\n  - messages: 1/s\n    from: clients", "3:11: limits[0].from: expected client or server, got 'clients'"),
        ("limits:\n  - messages: 1/s\n    namespace: chat", "3:16: limits[0].namespace: a namespace starts with '/', got 'chat'"),
        ("limits:\n  - action: drop", "2:5: limits[0]: give messages or bytes (or both)"),
        ("limits:\n  - { name: a, messages: 1/s }\n  - { name: a, messages: 2/s }", "3:13: limits[1].name: another limit is already named 'a'"),
        ("validation:\n  max-message-bytes: lots", "2:22: validation.max-message-bytes: expected a size in bytes (65536, 64K, 1M), got 'lots'"),
        ("validation:\n  utf8: sometimes", "2:9: validation.utf8: expected true or false, got 'sometimes'"),
        ("validation:\n  action: delay", "2:11: validation.action: unknown action 'delay' (expected drop, close or log)"),
        ("validation:\n  allowed-events: { chat: [a] }", "2:21: validation.allowed-events: a namespace starts with '/', got 'chat'"),
        ("validation:\n  events:\n    m: { schema: { type: strin } }", "3:26: validation.events.m.schema.type: unknown type 'strin' (did you mean 'string'?)"),
        ("validation:\n  events:\n    m: { schema: { maxlength: 3 } }", "3:20: validation.events.m.schema: unknown schema keyword 'maxlength' (did you mean 'maxLength'?)"),
        ("validation:\n  events:\n    m: { schema: { oneOf: [] } }", "3:20: validation.events.m.schema: schema keyword 'oneOf' is not supported (supported: type, properties, required, additionalProperties, items, enum, const, minimum, maximum, minLength, maxLength, pattern, minItems, maxItems)"),
        ("validation:\n  events:\n    m: { schema: { pattern: \"a(b\" } }", "3:29: validation.events.m.schema.pattern: invalid regular expression 'a(b': expected ')'"),
        ("validation:\n  events:\n    m: { schema: { minLength: -1 } }", "3:31: validation.events.m.schema.minLength: must be at least 0, got -1"),
        ("validation:\n  events:\n    m: { schema: { maximum: ten } }", "3:29: validation.events.m.schema.maximum: expected a number, got 'ten'"),
        ("validation:\n  events:\n    m: { schema: [string] }", "3:18: validation.events.m.schema: a schema is a mapping of keywords, got a list"),
        ("validation:\n  events:\n    m: { schema: { type: object }, action: shout }", "3:44: validation.events.m.action: unknown action 'shout' (expected drop, close or log)"),
        ("connections: { max-concurrent: 0 }", "1:32: connections.max-concurrent: must be at least 1, got 0"),
        ("origins: https://a", "1:10: origins: expected a list, got 'https://a'"),
        ("limits:\n  - messages: 1/s\n    messages: 2/s", "2:5: duplicate key 'messages' in one mapping"),
        ("limits: [\n  - a\n", "2:3: YAML syntax: did not find expected node content (while parsing a flow node at 2:3)"),
    ]

    @Test(arguments: badConfigurations)
    func badConfiguration(yaml: String, problem: String) async {
        #expect(await problems(yaml) == [problem])
    }

    @Test func everyProblemIsReportedInFileOrder() async {
        let found = await problems("""
            limits:
              - messages: { rate: 20 per second }
                action: dorp
            limts: []
            """)
        #expect(found == [
            "2:23: limits[0].messages.rate: expected N/s, N/min or N/h, got '20 per second'",
            "3:13: limits[0].action: unknown action 'dorp' (did you mean 'drop'?)",
            "4:1: unknown key 'limts' (did you mean 'limits'?)",
        ])
    }

    @Test func descriptionIsOneLinePerProblem() async {
        do throws(ConfigurationError) {
            _ = try await PolicyConfiguration.parse(yaml: "a: 1\nb: 2", file: "x.yaml")
            Issue.record("parsed")
        } catch {
            #expect(error.description == "x.yaml:1:1: unknown key 'a'\nx.yaml:2:1: unknown key 'b'")
        }
    }

    @Test func unreadableFile() async {
        do throws(ConfigurationError) {
            _ = try await PolicyConfiguration.load(path: "/nonexistent/policy.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.description == "/nonexistent/policy.yaml: cannot read: No such file or directory")
        }
    }
}
