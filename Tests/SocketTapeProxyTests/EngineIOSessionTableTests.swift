import NIOCore
import NIOHTTP1
import SocketTapeWire
import Testing

@testable import SocketTapeProxy

@Suite struct EngineIOSessionTableTests {
    @Test func sessionsAreFoundBySidUntilRemoved() {
        let table = EngineIOSessionTable(openSessions: OpenSessionCounter())
        table.register(sid: "abc", session: "s-1", version: .v4, timeout: .seconds(30))
        #expect(table.session(for: "abc") == "s-1")
        #expect(table.session(for: "other") == nil)
        #expect(table.remove("abc"))
        #expect(!table.remove("abc"))
        #expect(table.session(for: "abc") == nil)
    }

    @Test func silentPollingSessionsExpireUpgradedOnesDoNot() {
        let table = EngineIOSessionTable(openSessions: OpenSessionCounter())
        table.register(sid: "quiet", session: "s-1", version: .v4, timeout: .seconds(10))
        table.register(sid: "upgraded", session: "s-2", version: .v3, timeout: .seconds(10))
        table.markUpgraded("upgraded")
        #expect(table.expire(now: .now() + .seconds(5)).isEmpty)
        let expired = table.expire(now: .now() + .seconds(11))
        #expect(expired.map(\.session) == ["s-1"])
        #expect(table.session(for: "quiet") == nil)
        #expect(table.session(for: "upgraded") == "s-2")
        #expect(table.removeAllPolling().isEmpty)
    }

    @Test func aSessionGivesBackItsOpenSessionCountWhenItLeaves() {
        let counter = OpenSessionCounter()
        let table = EngineIOSessionTable(openSessions: counter)
        #expect(counter.open("u", limit: 2) && counter.open("u", limit: 2))
        table.register(sid: "a", session: "s-1", version: .v4, timeout: .seconds(10), countedIdentity: "u")
        table.register(sid: "b", session: "s-2", version: .v4, timeout: .seconds(10), countedIdentity: "u")
        #expect(!counter.open("u", limit: 2))
        #expect(table.remove("a"))
        #expect(counter.open("u", limit: 2))
        #expect(table.expire(now: .now() + .seconds(11)).map(\.session) == ["s-2"])
        #expect(counter.open("u", limit: 2))
        #expect(!counter.open("u", limit: 2))
    }

    @Test func engineIORequestsAreRecognisedByTheirQuery() throws {
        func request(_ uri: String, upgrade: Bool = false, _ detection: SocketIODetection = .auto) -> EngineIORequest? {
            let headers = upgrade ? HTTPHeaders([("Upgrade", "websocket"), ("Connection", "Upgrade")]) : HTTPHeaders()
            return EngineIORequest(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers), detection: detection)
        }
        let polling = try #require(request("/socket.io/?EIO=4&transport=polling&t=N8hyd6w"))
        #expect(polling.version == .v4 && polling.transport == .polling && polling.sid == nil)
        let upgrade = try #require(request("/socket.io/?EIO=3&transport=websocket&sid=x1", upgrade: true))
        #expect(upgrade.version == .v3 && upgrade.transport == .websocket && upgrade.sid == "x1")
        #expect(request("/chat?room=1") == nil)
        #expect(request("/socket.io/?EIO=4", .never) == nil)
        let forced = try #require(request("/chat", upgrade: true, .always))
        #expect(forced.version == .v4 && forced.transport == .websocket && forced.sid == nil)
    }
}
