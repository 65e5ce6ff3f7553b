/// The Engine.IO protocol revision of a session, from the `EIO` query parameter.
///
/// v3 (`EIO=3`) is used by Socket.IO 1.x and 2.x, v4 (`EIO=4`) by Socket.IO 3.x and later
/// (engine.io-protocol, "History").
public enum EngineIOVersion: Int, Sendable, Hashable, CaseIterable {
    case v3 = 3
    case v4 = 4

    /// The version named by the `EIO` parameter of a request target such as
    /// `/socket.io/?EIO=4&transport=polling&t=N8hyd6w`.
    ///
    /// - Throws: ``EngineIOError`` when there is no `EIO` parameter or it names a version other
    ///   than 3 or 4.
    public init(requestTarget: some StringProtocol) throws(EngineIOError) {
        guard let value = queryParameter("EIO", in: requestTarget) else {
            throw EngineIOError(offset: nil, reason: "the request target has no EIO query parameter")
        }
        guard let number = Int(value), let version = EngineIOVersion(rawValue: number) else {
            throw EngineIOError(offset: nil, reason: "EIO=\(value) is not a supported Engine.IO version (3 or 4)")
        }
        self = version
    }
}

/// The transport of an Engine.IO request, from its `transport` query parameter.
public enum EngineIOTransport: String, Sendable, Hashable, CaseIterable {
    case polling
    case websocket

    /// The transport named by the `transport` parameter of a request target; nil when the
    /// parameter is missing or names another transport (such as v3's `flashsocket`).
    public init?(requestTarget: some StringProtocol) {
        guard let value = queryParameter("transport", in: requestTarget) else { return nil }
        self.init(rawValue: String(value))
    }
}

/// The value of the first query parameter `name` of a request target, as written (not
/// percent-decoded: Engine.IO's parameters are plain ASCII).
public func queryParameter(_ name: String, in target: some StringProtocol) -> Substring? {
    let target = Substring(target)
    guard let question = target.firstIndex(of: "?") else { return nil }
    let query = target[target.index(after: question)...].prefix { $0 != "#" }
    for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if parts[0] == name { return parts.count > 1 ? parts[1] : "" }
    }
    return nil
}
