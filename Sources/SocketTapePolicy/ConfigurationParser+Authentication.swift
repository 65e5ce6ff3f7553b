import JWTKit
import SocketTapeWire
import Yams

/// The `authentication` section. Keys are read and checked here; jwt-kit builds them afterwards
/// (``JWTKeys/build(_:)``, asynchronously), its problems reported at the key's place.
extension ConfigurationReader {
    static let authenticationKeys = ["jwt"]
    static let jwtKeys = ["hmac-secret", "hmac-secret-file", "jwks-file", "issuer", "audience", "leeway", "token"]

    mutating func authentication(_ node: Node) -> JWTAuthentication? {
        guard let members = members(node, "authentication", allowed: Self.authenticationKeys) else { return nil }
        guard let jwt = members.first else {
            // An unknown key has been reported already.
            if node.mapping?.isEmpty == true {
                report("authentication: give jwt: { … } (the only kind of authentication)", at: node)
            }
            return nil
        }
        return self.jwt(jwt.value)
    }

    private mutating func jwt(_ node: Node) -> JWTAuthentication? {
        let path = "authentication.jwt"
        guard let members = members(node, path, allowed: Self.jwtKeys) else { return nil }
        var authentication = JWTAuthentication(verifier: TokenVerifier(keys: JWTKeys(keys: [])))
        var secretGiven = false
        for (key, keyNode, value) in members {
            let keyPath = "\(path).\(key)"
            switch key {
            case "hmac-secret", "hmac-secret-file":
                if secretGiven {
                    report("\(keyPath): give hmac-secret or hmac-secret-file, not both", at: keyNode)
                    continue
                }
                secretGiven = true
                hmacSecret(value, keyPath, fromFile: key == "hmac-secret-file")
            case "jwks-file":
                jwks(value, keyPath)
            case "issuer":
                authentication.verifier.issuer = nonEmptyString(value, keyPath)
            case "audience":
                if value.sequence != nil {
                    guard let audiences = strings(value, keyPath) else { continue }
                    if audiences.isEmpty || audiences.contains(where: \.isEmpty) {
                        report("\(keyPath): list one audience or more, none empty", at: value)
                    } else {
                        authentication.verifier.audiences = audiences
                    }
                } else if let audience = nonEmptyString(value, keyPath) {
                    authentication.verifier.audiences = [audience]
                }
            case "leeway":
                authentication.verifier.leeway = seconds(value, keyPath) ?? authentication.verifier.leeway
            default:
                authentication.token = tokenLocation(value, keyPath) ?? authentication.token
            }
        }
        if !members.contains(where: { ["hmac-secret", "hmac-secret-file", "jwks-file"].contains($0.key) }) {
            report("\(path): give the keys tokens are signed with: hmac-secret, hmac-secret-file or jwks-file", at: node)
        }
        return authentication
    }

    private mutating func nonEmptyString(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path) else { return nil }
        guard !text.isEmpty else {
            report("\(path): must not be empty", at: node)
            return nil
        }
        return text
    }

    /// `hmac-secret: TEXT`, or `hmac-secret-file: PATH` (the file's bytes, less one final newline).
    private mutating func hmacSecret(_ node: Node, _ path: String, fromFile: Bool) {
        guard let text = nonEmptyString(node, path) else { return }
        var secret = Array(text.utf8)
        if fromFile {
            guard let contents = fileContents(text, node, path) else { return }
            secret = contents
            if secret.last == UInt8(ascii: "\n") { secret.removeLast() }
            if secret.last == UInt8(ascii: "\r") { secret.removeLast() }
        }
        let minimum = JWTKeys.hmacAlgorithms[0].minimumBytes
        guard secret.count >= minimum else {
            report("\(path): an HMAC secret needs at least \(minimum) bytes (RFC 7518 §3.2), got \(secret.count)", at: node)
            return
        }
        keyMaterials.append(.init(material: .hmacSecret(secret), node: node, place: path))
    }

    /// `jwks-file: PATH`: a JWK Set (RFC 7517 §5). Keys for encryption (`"use": "enc"`) are skipped.
    private mutating func jwks(_ node: Node, _ path: String) {
        guard let file = nonEmptyString(node, path), let contents = fileContents(file, node, path) else { return }
        let place = "\(path): \(file)"
        let document: JSONValue
        do throws(JSONSyntaxError) {
            document = try JSONValue(parsing: contents)
        } catch {
            report("\(place): \(error)", at: node)
            return
        }
        guard let keys = document.objectValue?["keys"]?.arrayValue else {
            report("\(place): expected a JWK Set, {\"keys\": [ … ]}", at: node)
            return
        }
        var encryptionKeys = 0
        for (index, key) in keys.enumerated() {
            let kid = key.objectValue?["kid"]?.stringValue
            let name = "keys[\(index)]" + (kid.map { " (kid '\($0)')" } ?? "")
            guard let members = key.objectValue else {
                report("\(place): \(name): expected an object", at: node)
                continue
            }
            if members["use"]?.stringValue == "enc" {
                encryptionKeys += 1
                continue
            }
            switch members["kty"]?.stringValue {
            case "RSA", "EC", "OKP":
                do {
                    keyMaterials.append(.init(material: .jwk(try JWK(json: key.jsonText), name: name), node: node, place: place))
                } catch {
                    report("\(place): \(name): \(describe(error))", at: node)
                }
            case "oct":
                report("\(place): \(name): kty 'oct' (a shared secret) is not read from a JWK Set; give it as hmac-secret", at: node)
            case let kty:
                report("\(place): \(name): kty \(kty.map { "'\($0)'" } ?? "missing") (expected RSA, EC or OKP)", at: node)
            }
        }
        if encryptionKeys == keys.count {
            report("\(place): no signature keys in the set", at: node)
        }
    }

    /// The bytes of a file the configuration names, relative to the configuration file's directory.
    private mutating func fileContents(_ name: String, _ node: Node, _ path: String) -> [UInt8]? {
        let resolved = name.hasPrefix("/") || !file.contains("/") ? name : "\(file[...file.lastIndex(of: "/")!])\(name)"
        switch readFile(resolved) {
        case .success(let contents): return contents
        case .failure(let reason):
            report("\(path): cannot read \(resolved): \(reason)", at: node)
            return nil
        }
    }

    /// A duration in whole seconds: `30` or `30s`, `2min`, `1h`.
    private mutating func seconds(_ node: Node, _ path: String) -> Int? {
        if node.kind == .int { return integer(node, path) }
        if node.kind == .str, let text = node.scalar?.string {
            for (unit, factor) in [("min", 60), ("s", 1), ("h", 3600)] where text.hasSuffix(unit) {
                if let count = Int(text.dropLast(unit.count)), count >= 0 { return count * factor }
            }
        }
        report("\(path): expected seconds (30, 30s, 2min or 1h), got \(describe(node))", at: node)
        return nil
    }

    /// `{ header: NAME }` or `{ query: NAME }`.
    private mutating func tokenLocation(_ node: Node, _ path: String) -> TokenLocation? {
        guard let members = members(node, path, allowed: ["header", "query"]) else { return nil }
        guard members.count == 1 else {
            // An unknown key has been reported already.
            if members.count > 1 || node.mapping?.isEmpty == true {
                report("\(path): give one place, { header: NAME } or { query: NAME }", at: node)
            }
            return nil
        }
        let (key, _, value) = members[0]
        guard let name = nonEmptyString(value, "\(path).\(key)") else { return nil }
        return key == "header" ? .header(name) : .query(name)
    }
}

/// A key of the configuration waiting for jwt-kit, with where to report its problems.
struct PendingKey {
    var material: KeyMaterial
    var node: Node
    /// The configuration path (and file) problems start with.
    var place: String
}
