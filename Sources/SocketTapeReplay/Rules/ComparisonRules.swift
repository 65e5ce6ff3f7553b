import SocketTapeWire

/// Everything that decides what counts as a difference, for a whole run: ignore rules (command
/// line and configuration), learned noise, and the capture patterns that name server-assigned ids.
public struct ComparisonRules: Sendable {
    /// Pointer patterns whose differences are left out, in every message.
    public var ignoredPointers: [PointerPattern]
    /// Regular expressions whose matches are masked in text, in every message.
    public var ignoredText: [TextPattern]
    /// Pointer patterns per message shape whose differences are left out.
    public var noise: NoiseRules
    /// Values that are ids the server assigned, beyond the Engine.IO and Socket.IO sids: the
    /// strings or numbers these patterns name in a recorded message are mapped to the ones at the
    /// same place in the received message (``IdentifierMap``).
    public var captures: [PointerPattern]

    public init(ignore: [IgnoreRule] = [], noise: NoiseRules = NoiseRules(), captures: [PointerPattern] = []) {
        ignoredPointers = ignore.pointerPatterns
        ignoredText = ignore.textPatterns
        self.noise = noise
        self.captures = captures
    }

    /// Whether a difference at `path` in a message of `shape` is left out.
    func ignores(_ path: JSONPath, in shape: MessageShape) -> Bool {
        ignoredPointers.contains { $0.covers(path) } || noise.covers(path, in: shape)
    }

    /// `content` with every ignored text match masked.
    func masking(_ content: MessageContent) -> MessageContent {
        guard !ignoredText.isEmpty else { return content }
        return content.mappingScalars { value in
            guard case .string(let text) = value else { return value }
            return .string(ignoredText.reduce(text) { $1.masking($0) })
        }
    }
}
