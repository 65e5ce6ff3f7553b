/// The JSON Lines names of WebSocket opcodes (RFC 6455 §5.2); reserved opcodes are written as numbers.
public enum WebSocketOpcodeName {
    private static let names: [UInt8: String] = [
        0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong",
    ]
    private static let opcodes = Dictionary(uniqueKeysWithValues: names.map { ($0.value, $0.key) })

    static let text: UInt8 = 1
    static let close: UInt8 = 8

    /// The name of a defined opcode (`text`, `close`, …), `nil` for reserved ones.
    public static func name(of opcode: UInt8) -> String? { names[opcode] }

    /// The name of any opcode, reserved ones as `op3`, for display.
    public static func displayName(of opcode: UInt8) -> String { names[opcode] ?? "op\(opcode)" }
    static func opcode(named name: String) -> UInt8? { opcodes[name] }
}
