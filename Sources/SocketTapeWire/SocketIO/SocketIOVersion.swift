/// The Socket.IO protocol revision, which follows from the Engine.IO revision underneath.
///
/// v4 (socket.io-protocol branch `v4`) is Socket.IO 1.x/2.x over Engine.IO v3; v5 (the current
/// socket.io-protocol document) is Socket.IO 3.x and later over Engine.IO v4.
public enum SocketIOVersion: Int, Sendable, Hashable, CaseIterable {
    case v4 = 4
    case v5 = 5

    /// The Socket.IO revision spoken over `engineIO`: `EIO=3` → v4, `EIO=4` → v5.
    public init(engineIO: EngineIOVersion) {
        self = engineIO == .v3 ? .v4 : .v5
    }
}
