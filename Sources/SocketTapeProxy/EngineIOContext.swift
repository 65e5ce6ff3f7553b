import SocketTapeWire

/// What an exchange of an Engine.IO session needs to be recorded as part of that session.
struct EngineIOContext {
    var request: EngineIORequest
    var sessions: EngineIOSessionTable
    /// The tape session of the request's `sid`, when the proxy already follows it: the exchange's records join it.
    var knownSession: String?
    var redactsAuth: Bool
    /// For the request that opens a session, when the proxy checks messages: the session's
    /// policy state, kept in ``sessions`` with its sid.
    var policy: SessionPolicy?
    /// For the request that opens a polling session: the identity whose open-session count it
    /// took, handed to ``sessions`` with the sid (or given back when no session opens).
    var countedIdentity: String?

    var version: EngineIOVersion { request.version }
}
