import SocketTapeTape

/// The text and JSON forms of `inspect TAPE`.
struct SummaryReport {
    let path: String
    let summary: TapeSummary
    let sealed: Bool
    let damage: TapeDamage?

    func text() -> String {
        var lines: [String] = []
        lines.append("tape      \(path)")
        lines.append("state     \(stateText)")
        if let start = summary.firstWallMicros {
            lines.append("started   \(TimeText.timestamp(wallMicros: start))")
        }
        lines.append("duration  \(TextFormat.fixed(summary.durationSeconds, 3)) s")
        let transports = summary.transports.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("sessions  \(summary.sessions.count)" + (transports.isEmpty ? "" : " (\(transports))"))
        if summary.upgrades > 0 {
            lines.append("upgrades  \(summary.upgrades) (polling to websocket)")
        }
        if summary.httpExchanges > 0 {
            lines.append("http      \(summary.httpExchanges) exchange(s)")
        }
        lines.append("")
        lines.append("messages  " + pad("client→server", 24) + "server→client")
        let opcodes = Set(summary.fromClient.messages.keys).union(summary.fromServer.messages.keys).sorted()
        for opcode in opcodes {
            lines.append("  " + pad(WebSocketOpcodeName.displayName(of: opcode), 8) + pad(cell(summary.fromClient, opcode), 24) + cell(summary.fromServer, opcode))
        }
        lines.append("  " + pad("frames", 8) + pad("\(summary.fromClient.frames)", 24) + "\(summary.fromServer.frames)")
        lines.append("  " + pad("deflate", 8) + pad("\(summary.fromClient.compressedMessages)", 24) + "\(summary.fromServer.compressedMessages)")
        lines.append("  " + pad("fragmtd", 8) + pad("\(summary.fromClient.fragmentedMessages)", 24) + "\(summary.fromServer.fragmentedMessages)")
        lines.append("")
        if summary.socketIO.sessions > 0 {
            lines += SocketIOReport(summary: summary.socketIO).text()
            lines.append("")
        }
        let closes = summary.closes.sorted { $0.key < $1.key }.map { key, count in
            "\(key.code.map(String.init) ?? "none") by \(key.by.name)\(key.error ? " (error)" : "") ×\(count)"
        }
        lines.append("closes    " + (closes.isEmpty ? "none" : closes.joined(separator: ", ")))
        let policies = summary.policies.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
        lines.append("policy    " + (policies.isEmpty ? "none" : policies.joined(separator: ", ")))
        lines.append("gaps      " + (summary.gapRecords == 0 ? "none" : "\(summary.gapRecords) record(s), \(summary.gapBytes) bytes not written"))
        return lines.joined(separator: "\n")
    }

    private var stateText: String {
        if let damage { return "recovered: \(damage)" }
        return sealed ? "sealed" : "not sealed (still being written, or the writer stopped without sealing it)"
    }

    private func pad(_ text: String, _ width: Int) -> String { TextColumns.pad(text, width) }

    private func cell(_ traffic: TapeSummary.Traffic, _ opcode: UInt8) -> String {
        let count = traffic.messages[opcode] ?? 0
        return count == 0 ? "-" : "\(count) (\(ByteFormat.human(traffic.bytes[opcode] ?? 0)))"
    }


    func json() -> String {
        func traffic(_ t: TapeSummary.Traffic) -> [String: Any] {
            var byOpcode: [String: Any] = [:]
            for (opcode, count) in t.messages {
                byOpcode[WebSocketOpcodeName.displayName(of: opcode)] = ["messages": count, "bytes": t.bytes[opcode] ?? 0]
            }
            return ["messages": t.totalMessages, "bytes": t.totalBytes, "frames": t.frames,
                    "compressed": t.compressedMessages, "fragmented": t.fragmentedMessages, "by_opcode": byOpcode]
        }
        var object: [String: Any] = [
            "tape": path,
            "sealed": sealed,
            "damage": damage.map { "\($0)" } as Any? ?? JSONText.null,
            "records": summary.records,
            "sessions": summary.sessions.count,
            "transports": summary.transports,
            "http_exchanges": summary.httpExchanges,
            "upgrades": summary.upgrades,
            "duration": summary.durationSeconds,
            "client": traffic(summary.fromClient),
            "server": traffic(summary.fromServer),
            "closes": summary.closes.sorted { $0.key < $1.key }.map { key, count in
                ["by": key.by.name, "code": key.code.map { Int($0) } as Any? ?? JSONText.null, "error": key.error, "count": count] as [String: Any]
            },
            "policy": summary.policies,
            "gaps": ["records": summary.gapRecords, "bytes": summary.gapBytes],
        ]
        if summary.socketIO.sessions > 0 {
            object.merge(SocketIOReport(summary: summary.socketIO).json()) { $1 }
        }
        return JSONText.object(object)
    }
}

/// Byte counts for people.
enum ByteFormat {
    static func human(_ bytes: Int) -> String {
        switch bytes {
        case ..<1024: "\(bytes) B"
        case ..<(1 << 20): "\(TextFormat.fixed(Double(bytes) / 1024, 1)) KiB"
        case ..<(1 << 30): "\(TextFormat.fixed(Double(bytes) / 1_048_576, 1)) MiB"
        default: "\(TextFormat.fixed(Double(bytes) / 1_073_741_824, 2)) GiB"
        }
    }
}

/// Left-aligned text columns.
enum TextColumns {
    /// `text` padded with spaces to `width` characters; longer text gets one space after it.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : TextFormat.left(text, width)
    }
}
