import SocketTapeWire

/// The request targets of a replayed Engine.IO session, made from the recorded handshake's: the
/// same path and application parameters (a token in the query, say), with the Engine.IO
/// parameters (`EIO`, `transport`, `sid`, and the cache busters `t`, `j`, `b64`) set anew.
struct EngineIORequestTargets: Sendable {
    private let path: String
    private let parameters: [Substring]
    private let version: EngineIOVersion

    init(recorded target: String, version: EngineIOVersion) {
        let question = target.firstIndex(of: "?")
        path = String(target[..<(question ?? target.endIndex)])
        let query = question.map { target[target.index(after: $0)...] } ?? ""
        parameters = query.split(separator: "&").filter { parameter in
            let name = parameter.prefix { $0 != "=" }
            return !Self.engineIOParameters.contains(String(name))
        }
        self.version = version
    }

    /// The handshake (no sid) or a later request of session `sid` on `transport`.
    func target(transport: EngineIOTransport, sid: String? = nil) -> String {
        var query = ["EIO=\(version.rawValue)", "transport=\(transport == .polling ? "polling" : "websocket")"]
        if let sid { query.append("sid=\(sid)") }
        return path + "?" + (query + parameters.map(String.init)).joined(separator: "&")
    }

    private static let engineIOParameters: Set<String> = ["EIO", "transport", "sid", "t", "j", "b64"]
}
