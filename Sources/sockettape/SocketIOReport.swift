import SocketTapeTape
import SocketTapeWire

/// The Socket.io part of `inspect TAPE`, text and JSON, for tapes with Engine.IO sessions.
struct SocketIOReport {
    let summary: SocketIOSummary

    /// Packet types in the order the report lists them.
    private static let packetTypes: [SocketIOPacketType] = [
        .connect, .connectError, .disconnect, .event, .binaryEvent, .ack, .binaryAck,
    ]

    /// ```
    /// engine.io 2 session(s): v4 ×2; polling only 0, polling→websocket 1, websocket only 1
    /// handshake 2 seen: pingInterval 25000; pingTimeout 20000; maxPayload 1000000; upgrades [websocket]
    ///
    /// socket.io        client→server           server→client
    ///   CONNECT        2                       -
    ///   …
    ///   decode errors  1                       -
    /// events
    ///   / chat         3                       1
    /// first error      sio-1 at 0.020000 s, client→server: Socket.IO: …
    /// ```
    func text() -> [String] {
        var lines: [String] = []
        let versions = summary.sessionsByVersion.sorted { $0.key < $1.key }.map { "v\($0.key) ×\($0.value)" }.joined(separator: ", ")
        let paths = summary.transportPaths
        let pathText = SocketIOSummary.TransportPath.allCases.map { "\($0.rawValue) \(paths[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("engine.io \(summary.sessions) session(s): \(versions); \(pathText)")
        var handshake = [
            "pingInterval " + values(summary.pingIntervals),
            "pingTimeout " + values(summary.pingTimeouts),
        ]
        if !summary.maxPayloads.isEmpty { handshake.append("maxPayload " + values(summary.maxPayloads)) }
        handshake.append("upgrades " + values(summary.upgrades, show: { "[\($0)]" }))
        lines.append("handshake \(summary.handshakes) seen" + (summary.handshakes == 0 ? "" : ": " + handshake.joined(separator: "; ")))
        lines.append("")

        var rows = Self.packetTypes.map { type in
            (type.name, summary.packets(type, from: .client), summary.packets(type, from: .server))
        }
        rows.append(("decode errors", summary.decodeErrors[.client] ?? 0, summary.decodeErrors[.server] ?? 0))
        let events = eventRows()
        let width = max(13, events.map(\.0.count).max() ?? 0) + 2
        func row(_ label: String, _ client: Int, _ server: Int) -> String {
            "  " + TextColumns.pad(label, width) + TextColumns.pad(client == 0 ? "-" : "\(client)", 24) + (server == 0 ? "-" : "\(server)")
        }
        lines.append(TextColumns.pad("socket.io", width + 2) + TextColumns.pad("client→server", 24) + "server→client")
        lines += rows.map(row)
        lines.append("events" + (events.isEmpty ? "    none" : ""))
        lines += events.map(row)
        if let first = summary.firstDecodeError {
            let direction = first.from == .client ? "client→server" : "server→client"
            lines.append(
                TextColumns.pad("first error", width + 2) + "\(first.session) at "
                    + TextFormat.fixed(Double(first.offsetNanos) / 1e9, 6) + " s, \(direction): \(first.error)"
            )
        }
        return lines
    }

    /// `25000` when every handshake agreed, else `25000 ×2, 10000 ×1` (most common first).
    private func values<Key: Comparable>(_ counts: [Key: Int], show: (Key) -> String = { "\($0)" }) -> String {
        let sorted = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        if sorted.count == 1 { return show(sorted[0].key) }
        return sorted.map { "\(show($0.key)) ×\($0.value)" }.joined(separator: ", ")
    }

    /// `namespace event`, the count from the client and from the server; sorted.
    private func eventRows() -> [(String, Int, Int)] {
        var counts: [String: (client: Int, server: Int)] = [:]
        for (key, count) in summary.events {
            let label = "\(key.namespace) \(key.event)"
            if key.from == .client { counts[label, default: (0, 0)].client += count } else { counts[label, default: (0, 0)].server += count }
        }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value.client, $0.value.server) }
    }

    /// The `engineio` and `socketio` members of the summary's JSON.
    func json() -> [String: Any] {
        let paths = summary.transportPaths
        let engineIO: [String: Any] = [
            "sessions": summary.sessions,
            "versions": Dictionary(uniqueKeysWithValues: summary.sessionsByVersion.map { ("\($0.key)", $0.value) }),
            "transports": [
                "polling_only": paths[.pollingOnly] ?? 0, "upgraded": paths[.upgraded] ?? 0,
                "websocket_only": paths[.websocketOnly] ?? 0,
            ],
            "handshakes": summary.handshakes,
            "pingInterval": Self.byText(summary.pingIntervals),
            "pingTimeout": Self.byText(summary.pingTimeouts),
            "maxPayload": Self.byText(summary.maxPayloads),
            "upgrades": summary.upgrades,
        ]
        func packets(_ from: Peer) -> [String: Int] {
            Dictionary(uniqueKeysWithValues: Self.packetTypes.map { ($0.name, summary.packets($0, from: from)) })
        }
        let events = summary.events.sorted { $0.key < $1.key }.map { key, count -> [String: Any] in
            ["nsp": key.namespace, "event": key.event, "from": key.from.name, "count": count]
        }
        let first: Any = summary.firstDecodeError.map { first -> [String: Any] in
            ["session": first.session, "t": Double(first.offsetNanos) / 1e9, "from": first.from.name, "error": first.error]
        } ?? JSONText.null
        let socketIO: [String: Any] = [
            "packets": ["client": packets(.client), "server": packets(.server)],
            "events": events,
            "decode_errors": ["client": summary.decodeErrors[.client] ?? 0, "server": summary.decodeErrors[.server] ?? 0],
            "first_decode_error": first,
        ]
        return ["engineio": engineIO, "socketio": socketIO]
    }

    private static func byText(_ counts: [Int: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ("\($0.key)", $0.value) })
    }
}
