/// An Engine.IO packet type (engine.io-protocol, "Protocol"; the same in v3 and v4).
public enum EngineIOPacketType: UInt8, Sendable, Hashable, CaseIterable {
    case open = 0
    case close = 1
    case ping = 2
    case pong = 3
    case message = 4
    case upgrade = 5
    case noop = 6

    /// The lower-case name, as in the JSON Lines `eio.type` field: `open`, `close`, `ping`,
    /// `pong`, `message`, `upgrade` or `noop`.
    public var name: String { String(describing: self) }

    /// The type with this lower-case name.
    public init?(name: String) {
        guard let type = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    /// The type written as an ASCII digit (`'0'`…`'6'`), as in the text encoding.
    init?(digit: UInt8) {
        self.init(rawValue: digit &- UInt8(ascii: "0"))
    }

    /// The ASCII digit of the text encoding.
    var digit: UInt8 { UInt8(ascii: "0") + rawValue }
}
