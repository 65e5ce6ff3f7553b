import SocketTapeWire
import Yams

extension PolicyConfiguration {
    /// Parses a configuration (README, "Configuration (`--config`)"); `file` names it in problems,
    /// and the files it names (`jwks-file`, `hmac-secret-file`) are read relative to its directory.
    ///
    /// - Throws: ``ConfigurationError`` with every problem found: YAML syntax, unknown keys (with
    ///   a suggestion when one is close), wrong types, bad rates, actions, schemas, patterns and keys.
    public static func parse(yaml: String, file: String) async throws(ConfigurationError) -> PolicyConfiguration {
        var reader = ConfigurationReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(problems: [reader.problem(forYAMLError: error)])
        }
        var configuration = root.map { reader.configuration($0) } ?? .none
        if !reader.keyMaterials.isEmpty {
            let (keys, problems) = await JWTKeys.build(reader.keyMaterials.map(\.material))
            for (index, message) in problems {
                let pending = reader.keyMaterials[index]
                reader.report("\(pending.place): \(message)", at: pending.node)
            }
            configuration.authentication?.verifier.keys = keys
        }
        guard reader.problems.isEmpty else {
            throw ConfigurationError(problems: reader.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return configuration
    }
}

/// Walks the YAML nodes, building the configuration and collecting problems with their marks.
struct ConfigurationReader {
    let file: String
    private(set) var problems: [ConfigurationError.Problem] = []
    /// The keys of `authentication`, for jwt-kit to build once the file has been read.
    var keyMaterials: [PendingKey] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Problems

    mutating func report(_ message: String, at node: Node) {
        report(message, at: node.mark)
    }

    mutating func report(_ message: String, at mark: Mark?) {
        problems.append(.init(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    func problem(forYAMLError error: any Error) -> ConfigurationError.Problem {
        func at(_ mark: Mark, _ message: String) -> ConfigurationError.Problem {
            .init(file: file, line: mark.line, column: mark.column, message: message)
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return at(mark, "YAML syntax: \(problem)\(while_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return at(context.mark, "duplicate key \(names) in one mapping")
        case .reader(let problem, _, _, _):
            return .init(file: file, line: 0, column: 0, message: "YAML: \(problem)")
        default:
            return .init(file: file, line: 0, column: 0, message: "YAML: \(error)")
        }
    }

    // MARK: Shapes

    /// The members of a mapping with string keys, after checking each key is one of `allowed`.
    mutating func members(_ node: Node, _ path: String, allowed: [String]) -> [(key: String, keyNode: Node, value: Node)]? {
        let prefix = path.isEmpty ? "" : "\(path): "
        guard let mapping = node.mapping else {
            report("\(prefix)expected a mapping, got \(describe(node))", at: node)
            return nil
        }
        var members: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report("\(prefix)keys must be text", at: keyNode)
                continue
            }
            guard allowed.contains(key) else {
                report("\(prefix)\(unknown("key", key, among: allowed, listing: false))", at: keyNode)
                continue
            }
            members.append((key, keyNode, value))
        }
        return members
    }

    mutating func string(_ node: Node, _ path: String) -> String? {
        guard let scalar = node.scalar, node.kind != .null else {
            report("\(path): expected text, got \(describe(node))", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func integer(_ node: Node, _ path: String, minimum: Int = 0) -> Int? {
        guard node.kind == .int, let value = node.int else {
            report("\(path): expected an integer, got \(describe(node))", at: node)
            return nil
        }
        guard value >= minimum else {
            report("\(path): must be at least \(minimum), got \(value)", at: node)
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, _ path: String) -> Double? {
        if node.kind == .int, let value = node.int { return Double(value) }
        if node.kind == .float, let value = node.float, value.isFinite { return value }
        report("\(path): expected a number, got \(describe(node))", at: node)
        return nil
    }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        guard node.kind == .bool, let value = node.bool else {
            report("\(path): expected true or false, got \(describe(node))", at: node)
            return nil
        }
        return value
    }

    mutating func list(_ node: Node, _ path: String) -> [Node]? {
        guard let sequence = node.sequence else {
            report("\(path): expected a list, got \(describe(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// The `replay:` section: lists of rule texts with where each stands.
    mutating func replayRules(_ node: Node) -> ReplayRuleTexts {
        var rules = ReplayRuleTexts()
        for (key, _, value) in members(node, "replay", allowed: ["ignore", "capture"]) ?? [] {
            let path = "replay.\(key)"
            let located = (list(value, path) ?? []).enumerated().compactMap { index, item -> ReplayRuleTexts.Rule? in
                guard let text = string(item, "\(path)[\(index)]") else { return nil }
                return ReplayRuleTexts.Rule(text: text, path: "\(path)[\(index)]", line: item.mark?.line ?? 0, column: item.mark?.column ?? 0)
            }
            if key == "ignore" { rules.ignore = located } else { rules.capture = located }
        }
        return rules
    }

    mutating func strings(_ node: Node, _ path: String) -> [String]? {
        guard let items = list(node, path) else { return nil }
        let strings = items.enumerated().compactMap { string($1, "\(path)[\($0)]") }
        return strings.count == items.count ? strings : nil
    }

    mutating func action(_ node: Node, _ path: String, allowed: [PolicyAction] = PolicyAction.allCases) -> PolicyAction? {
        guard let text = string(node, path) else { return nil }
        guard let action = PolicyAction(rawValue: text), allowed.contains(action) else {
            report("\(path): \(unknown("action", text, among: allowed.map(\.rawValue)))", at: node)
            return nil
        }
        return action
    }

    /// A size in bytes: an integer, or text with a `K`, `M` or `G` suffix (powers of 1024).
    mutating func size(_ node: Node, _ path: String) -> Int? {
        if node.kind == .int { return integer(node, path, minimum: 1) }
        if node.kind == .str, let value = parseAmount(node.scalar!.string), value >= 1, value == value.rounded() {
            return Int(value)
        }
        report("\(path): expected a size in bytes (65536, 64K, 1M), got \(describe(node))", at: node)
        return nil
    }

    // MARK: The configuration

    static let topLevelKeys = ["identity", "limits", "validation", "origins", "connections", "drop-notice-event", "authentication", "replay"]

    mutating func configuration(_ root: Node) -> PolicyConfiguration {
        var configuration = PolicyConfiguration()
        if root.kind == .null { return configuration }
        guard let members = members(root, "", allowed: Self.topLevelKeys) else { return configuration }
        for (key, _, value) in members {
            switch key {
            case "identity": configuration.identity = identity(value) ?? .remoteAddress
            case "limits": configuration.limits = limits(value)
            case "validation": configuration.validation = validation(value)
            case "origins": configuration.origins = strings(value, "origins")
            case "connections": configuration.connections = connections(value)
            case "drop-notice-event": configuration.dropNoticeEvent = string(value, "drop-notice-event")
            case "replay": configuration.replay = replayRules(value)
            case "authentication": configuration.authentication = authentication(value)
            default: break
            }
        }
        return configuration
    }

    static let identityKeys = ["header", "query", "jwt-claim", "forwarded-for"]
    static let identityWords = ["remote-address", "socket-io-auth-token"]

    mutating func identity(_ node: Node) -> IdentitySource? {
        if node.scalar != nil, let word = string(node, "identity") {
            switch word {
            case "remote-address": return .remoteAddress
            case "socket-io-auth-token": return .socketIOAuthToken
            default:
                let forms = Self.identityWords + Self.identityKeys.map { "{ \($0): … }" }
                let hint = suggestion(for: word, among: Self.identityWords).map { "did you mean '\($0)'?" } ?? "expected \(alternatives(forms))"
                report("identity: unknown identity '\(word)' (\(hint))", at: node)
                return nil
            }
        }
        guard let members = members(node, "identity", allowed: Self.identityKeys) else { return nil }
        guard members.count == 1 else {
            if members.count > 1 { report("identity: give one source, not \(members.count)", at: node) }
            if members.isEmpty, node.mapping?.isEmpty == true { report("identity: give one source (\(alternatives(Self.identityKeys)))", at: node) }
            return nil
        }
        let (key, _, value) = members[0]
        let path = "identity.\(key)"
        switch key {
        case "forwarded-for":
            guard let proxies = strings(value, path) else { return nil }
            var valid = true
            for (index, proxy) in proxies.enumerated() where AddressBlock(proxy) == nil {
                report("\(path)[\(index)]: '\(proxy)' is not an IP address or CIDR block", at: value.sequence.map { Array($0)[index] } ?? value)
                valid = false
            }
            if proxies.isEmpty {
                report("\(path): list the trusted proxies' addresses", at: value)
                valid = false
            }
            return valid ? .forwardedFor(trustedProxies: proxies) : nil
        default:
            guard let name = string(value, path) else { return nil }
            guard !name.isEmpty else {
                report("\(path): must not be empty", at: value)
                return nil
            }
            switch key {
            case "header": return .header(name)
            case "query": return .query(name)
            default: return .jwtClaim(name)
            }
        }
    }

    static let limitKeys = ["name", "from", "messages", "bytes", "event", "namespace", "action"]

    mutating func limits(_ node: Node) -> [LimitRule] {
        guard let items = list(node, "limits") else { return [] }
        var rules: [LimitRule] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            var path = "limits[\(index)]"
            guard let members = members(item, path, allowed: Self.limitKeys) else { continue }
            var rule = LimitRule(name: path)
            if let nameNode = members.first(where: { $0.key == "name" })?.value, let name = string(nameNode, "\(path).name") {
                if names.contains(name) { report("\(path).name: another limit is already named '\(name)'", at: nameNode) }
                rule.name = name
                path = name
            }
            names.insert(rule.name)
            for (key, _, value) in members {
                let keyPath = "\(path).\(key)"
                switch key {
                case "from":
                    guard let text = string(value, keyPath) else { break }
                    if let direction = PolicyDirection(rawValue: text) {
                        rule.from = direction
                    } else {
                        report("\(keyPath): expected client or server, got '\(text)'", at: value)
                    }
                case "messages": rule.messages = rate(value, keyPath, unit: "messages")
                case "bytes": rule.bytes = rate(value, keyPath, unit: "bytes")
                case "event": rule.event = string(value, keyPath)
                case "namespace":
                    guard let namespace = string(value, keyPath) else { break }
                    if namespace.hasPrefix("/") {
                        rule.namespace = namespace
                    } else {
                        report("\(keyPath): a namespace starts with '/', got '\(namespace)'", at: value)
                    }
                case "action": rule.action = action(value, keyPath) ?? rule.action
                default: break
                }
            }
            if !members.contains(where: { $0.key == "messages" || $0.key == "bytes" }) {
                report("\(path): give messages or bytes (or both)", at: item)
            }
            rules.append(rule)
        }
        return rules
    }

    /// `20/s` or `{ rate: 20/s, burst: 40 }`.
    mutating func rate(_ node: Node, _ path: String, unit: String) -> Rate? {
        var rateNode = node
        var burstNode: Node?
        if node.mapping != nil {
            guard let members = members(node, path, allowed: ["rate", "burst"]) else { return nil }
            guard let given = members.first(where: { $0.key == "rate" }) else {
                report("\(path): give a rate (N/s, N/min or N/h)", at: node)
                return nil
            }
            rateNode = given.value
            burstNode = members.first { $0.key == "burst" }?.value
        }
        let ratePath = node.mapping != nil ? "\(path).rate" : path
        let sizes = unit == "bytes"
        let expected = sizes ? "expected N/s, N/min or N/h (N may end in K, M or G)" : "expected N/s, N/min or N/h"
        var burst: Double?
        if let burstNode, let given = sizes && burstNode.kind == .str
            ? parseAmount(burstNode.scalar!.string) ?? number(burstNode, "\(path).burst")
            : number(burstNode, "\(path).burst")
        {
            if given >= 1 {
                burst = given
            } else {
                report("\(path).burst: must be at least 1, got \(formatNumber(given))", at: burstNode)
            }
        }
        guard rateNode.scalar != nil, rateNode.kind == .str, var rate = parseRate(rateNode.scalar!.string, sizes: sizes) else {
            report("\(ratePath): \(expected), got \(describe(rateNode))", at: rateNode)
            return nil
        }
        if burstNode != nil {
            guard let burst else { return nil }
            rate.burst = burst
        }
        return rate
    }

    static let validationKeys = [
        "max-message-bytes", "utf8", "json", "socket-io-shape", "allowed-events", "events", "message-schema", "action",
    ]
    static let validationActions: [PolicyAction] = [.drop, .close, .log]

    mutating func validation(_ node: Node) -> ValidationRules {
        var rules = ValidationRules()
        guard let members = members(node, "validation", allowed: Self.validationKeys) else { return rules }
        // The default action first: event rules without one take it.
        if let actionNode = members.first(where: { $0.key == "action" })?.value {
            rules.action = action(actionNode, "validation.action", allowed: Self.validationActions) ?? rules.action
        }
        for (key, _, value) in members {
            let path = "validation.\(key)"
            switch key {
            case "max-message-bytes": rules.maxMessageBytes = size(value, path)
            case "utf8": rules.utf8 = bool(value, path) ?? false
            case "json": rules.json = bool(value, path) ?? false
            case "socket-io-shape": rules.socketIOShape = bool(value, path) ?? false
            case "allowed-events": rules.allowedEvents = allowedEvents(value, path)
            case "message-schema":
                if let schema = schema(value, path) { rules.messageSchema = EventRule(schema: schema, action: rules.action) }
            case "events":
                guard let mapping = value.mapping else {
                    report("\(path): expected a mapping of event names, got \(describe(value))", at: value)
                    break
                }
                for (nameNode, ruleNode) in mapping {
                    guard let name = string(nameNode, path) else { continue }
                    let rulePath = "\(path).\(name)"
                    guard let ruleMembers = self.members(ruleNode, rulePath, allowed: ["schema", "action"]) else { continue }
                    var rule = EventRule(action: rules.action)
                    for (ruleKey, _, ruleValue) in ruleMembers {
                        switch ruleKey {
                        case "schema": rule.schema = schema(ruleValue, "\(rulePath).schema")
                        default: rule.action = action(ruleValue, "\(rulePath).action", allowed: Self.validationActions) ?? rule.action
                        }
                    }
                    rules.events[name] = rule
                }
            default: break
            }
        }
        return rules
    }

    /// `{ "/": [message, join], "/admin": [kick] }`, or a list for the default namespace.
    mutating func allowedEvents(_ node: Node, _ path: String) -> [String: Set<String>]? {
        if node.sequence != nil {
            return strings(node, path).map { ["/": Set($0)] }
        }
        guard let mapping = node.mapping else {
            report("\(path): expected a mapping of namespaces to event lists, got \(describe(node))", at: node)
            return nil
        }
        var allowed: [String: Set<String>] = [:]
        for (namespaceNode, namesNode) in mapping {
            guard let namespace = string(namespaceNode, path) else { continue }
            guard namespace.hasPrefix("/") else {
                report("\(path): a namespace starts with '/', got '\(namespace)'", at: namespaceNode)
                continue
            }
            allowed[namespace] = strings(namesNode, "\(path).\(namespace)").map(Set.init) ?? []
        }
        return allowed
    }

    static let connectionKeys = ["max-concurrent", "per-minute"]

    mutating func connections(_ node: Node) -> ConnectionLimits {
        var limits = ConnectionLimits()
        guard let members = members(node, "connections", allowed: Self.connectionKeys) else { return limits }
        for (key, _, value) in members {
            let count = integer(value, "connections.\(key)", minimum: 1)
            if key == "max-concurrent" { limits.maxConcurrent = count } else { limits.perMinute = count }
        }
        return limits
    }

    // MARK: Schemas

    static let schemaKeywords = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems",
    ]
    /// Annotations, accepted and ignored.
    static let schemaAnnotations = ["title", "description", "$comment", "examples", "default"]
    /// Real JSON Schema keywords outside the subset: named as unsupported rather than unknown.
    static let unsupportedKeywords: Set<String> = [
        "$ref", "$schema", "$id", "$defs", "definitions", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "format", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems", "prefixItems", "contains",
        "minContains", "maxContains", "patternProperties", "propertyNames", "minProperties", "maxProperties",
        "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems",
    ]

    mutating func schema(_ node: Node, _ path: String) -> JSONSchema? {
        guard let mapping = node.mapping else {
            report("\(path): a schema is a mapping of keywords, got \(describe(node))", at: node)
            return nil
        }
        var schema = JSONSchema()
        var valid = true
        for (keyNode, value) in mapping {
            guard let keyword = keyNode.scalar?.string else {
                report("\(path): keys must be text", at: keyNode)
                valid = false
                continue
            }
            let keyPath = "\(path).\(keyword)"
            if Self.schemaAnnotations.contains(keyword) { continue }
            if Self.unsupportedKeywords.contains(keyword) {
                report("\(path): schema keyword '\(keyword)' is not supported (supported: \(Self.schemaKeywords.joined(separator: ", ")))", at: keyNode)
                valid = false
                continue
            }
            switch keyword {
            case "type":
                let names = value.sequence != nil ? strings(value, keyPath) : string(value, keyPath).map { [$0] }
                guard let names else { valid = false; continue }
                var types: Set<JSONSchema.JSONType> = []
                for name in names {
                    if let type = JSONSchema.JSONType(rawValue: name) {
                        types.insert(type)
                    } else {
                        report("\(keyPath): \(unknown("type", name, among: JSONSchema.JSONType.allCases.map(\.rawValue)))", at: value)
                        valid = false
                    }
                }
                schema.types = types
            case "properties":
                guard let properties = value.mapping else {
                    report("\(keyPath): expected a mapping of member names to schemas, got \(describe(value))", at: value)
                    valid = false
                    continue
                }
                for (nameNode, propertyNode) in properties {
                    guard let name = string(nameNode, keyPath) else { valid = false; continue }
                    if let property = self.schema(propertyNode, "\(keyPath).\(name)") {
                        schema.properties.append((name, property))
                    } else {
                        valid = false
                    }
                }
            case "required":
                if let names = strings(value, keyPath) { schema.required = names } else { valid = false }
            case "additionalProperties":
                if value.kind == .bool, let allowed = value.bool {
                    schema.additionalProperties = allowed ? .allowed : .forbidden
                } else if value.mapping != nil, let additional = self.schema(value, keyPath) {
                    schema.additionalProperties = .schema(additional)
                } else {
                    if value.mapping == nil { report("\(keyPath): expected true, false or a schema, got \(describe(value))", at: value) }
                    valid = false
                }
            case "items":
                if let items = self.schema(value, keyPath) { schema.items = items } else { valid = false }
            case "enum":
                guard let items = list(value, keyPath) else { valid = false; continue }
                let values = items.enumerated().compactMap { json($1, "\(keyPath)[\($0)]") }
                if values.count == items.count { schema.enumValues = values } else { valid = false }
            case "const":
                if let constant = json(value, keyPath) { schema.constValue = constant } else { valid = false }
            case "minimum", "maximum":
                guard let bound = number(value, keyPath) else { valid = false; continue }
                if keyword == "minimum" { schema.minimum = bound } else { schema.maximum = bound }
            case "minLength", "maxLength", "minItems", "maxItems":
                guard let count = integer(value, keyPath) else { valid = false; continue }
                switch keyword {
                case "minLength": schema.minLength = count
                case "maxLength": schema.maxLength = count
                case "minItems": schema.minItems = count
                default: schema.maxItems = count
                }
            case "pattern":
                guard let source = string(value, keyPath) else { valid = false; continue }
                do throws(JSONSchema.PatternError) {
                    schema.pattern = try JSONSchema.Pattern(source)
                } catch {
                    report("\(keyPath): invalid regular expression '\(source)': \(error.reason)", at: value)
                    valid = false
                }
            default:
                report("\(path): \(unknown("schema keyword", keyword, among: Self.schemaKeywords, listing: false))", at: keyNode)
                valid = false
            }
        }
        return valid ? schema : nil
    }

    /// A YAML value as JSON (for `enum` and `const`).
    mutating func json(_ node: Node, _ path: String) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch node.kind {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool)
            case .int: return node.int.map { .integer($0) }
            case .float:
                guard let value = node.float, value.isFinite else {
                    report("\(path): JSON has no \(scalar.string)", at: node)
                    return nil
                }
                return .number(formatNumber(value))
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            let elements = sequence.enumerated().compactMap { json($1, "\(path)[\($0)]") }
            return elements.count == sequence.count ? .array(elements) : nil
        case .mapping(let mapping):
            var object = JSONObject()
            for (keyNode, value) in mapping {
                guard let key = string(keyNode, path), let member = json(value, "\(path).\(key)") else { return nil }
                object.members.append((key, member))
            }
            return .object(object)
        case .alias:
            report("\(path): YAML aliases are not supported here", at: node)
            return nil
        }
    }
}

// MARK: - Text helpers

/// What a node is, for "expected X, got Y".
func describe(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
        switch node.kind {
        case .null: return "nothing"
        case .bool, .int, .float: return scalar.string
        default: return "'\(scalar.string)'"
        }
    }
}

/// `a, b or c`.
func alternatives(_ names: [String]) -> String {
    guard names.count > 1 else { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " or " + names.last!
}

/// `unknown action 'dorp' (did you mean 'drop'?)`; without a close candidate, the list of
/// candidates when `listing`.
func unknown(_ what: String, _ word: String, among candidates: [String], listing: Bool = true) -> String {
    if let close = suggestion(for: word, among: candidates) {
        return "unknown \(what) '\(word)' (did you mean '\(close)'?)"
    }
    return listing ? "unknown \(what) '\(word)' (expected \(alternatives(candidates)))" : "unknown \(what) '\(word)'"
}

/// The candidate closest to `word` when it is close: at most one edit per three characters
/// (at least one, at most two), ignoring case, `-` and `_`; a swap of neighbours is one edit.
func suggestion(for word: String, among candidates: [String]) -> String? {
    func normalized(_ text: String) -> [Character] {
        Array(text.lowercased().filter { $0 != "-" && $0 != "_" })
    }
    let target = normalized(word)
    let scored = candidates.map { ($0, editDistance(target, normalized($0))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, min(2, target.count / 3)) else { return nil }
    return best.0
}

/// Edit distance with adjacent transpositions (optimal string alignment).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}

/// `20/s`, `1200/min`, `5/h` (also `second`, `minute`, `hour`): N per unit, burst N.
func parseRate(_ text: String, sizes: Bool) -> Rate? {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return nil }
    let amountText = String(parts[0].trimmingSpaces)
    guard let amount = sizes ? parseAmount(amountText) : Double(amountText), amount.isFinite, amount > 0,
        amountText.first?.isNumber == true
    else { return nil }
    let seconds: Double
    switch parts[1].trimmingSpaces {
    case "s", "sec", "second": seconds = 1
    case "min", "minute": seconds = 60
    case "h", "hour": seconds = 3600
    default: return nil
    }
    return Rate(perSecond: amount / seconds, burst: amount)
}

/// A number with an optional `K`, `M` or `G` suffix (powers of 1024).
func parseAmount(_ text: String) -> Double? {
    var digits = Substring(text)
    var multiplier = 1.0
    switch digits.last {
    case "K", "k": multiplier = 1024
    case "M", "m": multiplier = 1024 * 1024
    case "G", "g": multiplier = 1024 * 1024 * 1024
    default: break
    }
    if multiplier > 1 { digits = digits.dropLast() }
    guard digits.first?.isNumber == true, let value = Double(digits) else { return nil }
    return value * multiplier
}

extension Node {
    /// The resolved tag's name (`.str`, `.int`, `.float`, `.bool`, `.null`, `.map`, `.seq`).
    var kind: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
