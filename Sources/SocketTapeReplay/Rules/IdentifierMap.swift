import SocketTapeWire

/// The ids the server assigned in the recording, each with the one it assigned in the replay:
/// one map for the whole run, so a message naming another client by its recorded sid compares
/// equal when it names that client's new sid.
///
/// Learned from pairs of recorded and received messages that line up (``learn(expected:actual:captures:)``):
/// the `sid` of an Engine.IO `open` handshake, the `sid` of a Socket.IO CONNECT answer
/// (`40{"sid":…}`), and the values capture patterns name. Applied to recorded messages before
/// they are compared (``applied(to:)``): a string or number equal to a recorded id becomes the
/// new one, and a recorded string id of ``minimumEmbeddedLength`` bytes or more is also replaced
/// where it occurs inside a longer string (`"/rooms/<sid>"`). The first mapping learned for an id
/// stays; later, different ones for the same id are counted in ``conflicts``.
public struct IdentifierMap: Sendable {
    /// Shorter ids are replaced only as whole values: inside strings they would match by chance.
    public static let minimumEmbeddedLength = 8

    /// Recorded string id → replayed one.
    public private(set) var strings: [String: String] = [:]
    /// Recorded number id → replayed one, as JSON number text.
    public private(set) var numbers: [String: String] = [:]
    /// How many times an id already mapped was seen mapped to something else.
    public private(set) var conflicts = 0
    /// String ids of at least ``minimumEmbeddedLength`` bytes by their first eight bytes, longest first.
    private var embedded: [UInt64: [(id: [UInt8], replacement: String)]] = [:]

    public init() {}

    /// The replay's id for a recorded string id.
    public subscript(recorded: String) -> String? { strings[recorded] }

    /// Maps a recorded string id to the replay's (nothing happens when they are equal).
    public mutating func add(recorded: String, replayed: String) {
        guard insert(recorded, replayed, into: \.strings) else { return }
        let bytes = Array(recorded.utf8)
        guard bytes.count >= Self.minimumEmbeddedLength else { return }
        let key = Self.key(bytes, at: 0)
        embedded[key, default: []].append((bytes, replayed))
        embedded[key]?.sort { $0.id.count > $1.id.count }
    }

    /// Maps a recorded number id (JSON number text) to the replay's.
    public mutating func add(recordedNumber: String, replayed: String) {
        _ = insert(recordedNumber, replayed, into: \.numbers)
    }

    /// Adds `recorded → replayed` to `map` unless the two are equal or `recorded` is mapped
    /// already (a conflict when to something else); whether it was added.
    private mutating func insert(_ recorded: String, _ replayed: String, into map: WritableKeyPath<IdentifierMap, [String: String]>) -> Bool {
        guard recorded != replayed else { return false }
        if let known = self[keyPath: map][recorded] {
            if known != replayed { conflicts += 1 }
            return false
        }
        self[keyPath: map][recorded] = replayed
        return true
    }

    /// Learns the ids of a recorded message and the received message it lines up with: the
    /// Engine.IO handshake's `sid`, a Socket.IO CONNECT's `data.sid`, and each string or number
    /// a capture pattern names in the recorded message's view, paired with the value at the same
    /// place in the received one.
    public mutating func learn(expected: ObservedMessage, actual: ObservedMessage, captures: [PointerPattern]) {
        switch (expected.content, actual.content) {
        case (.engineIO(let left), .engineIO(let right)) where left.type == .open && right.type == .open:
            if let recorded = try? EngineIOHandshake(left), let replayed = try? EngineIOHandshake(right) {
                add(recorded: recorded.sid, replayed: replayed.sid)
            }
        case (.socketIO(let left), .socketIO(let right)) where left.type == .connect && right.type == .connect:
            if let recorded = left.data?.objectValue?["sid"]?.stringValue, let replayed = right.data?.objectValue?["sid"]?.stringValue {
                add(recorded: recorded, replayed: replayed)
            }
        default:
            break
        }
        guard !captures.isEmpty else { return }
        let received = actual.content.view
        for capture in captures {
            for (path, value) in capture.matches(in: expected.content.view) {
                switch (value, received.value(at: path)) {
                case (.string(let recorded), .string(let replayed)?): add(recorded: recorded, replayed: replayed)
                case (.number(let recorded), .number(let replayed)?): add(recordedNumber: recorded, replayed: replayed)
                default: continue
                }
            }
        }
    }

    /// `content` with the recorded ids replaced by the replay's (see the type's description).
    public func applied(to content: MessageContent) -> MessageContent {
        guard !strings.isEmpty || !numbers.isEmpty else { return content }
        return content.mappingScalars { value in
            switch value {
            case .string(let text): .string(strings[text] ?? replacingEmbedded(in: text))
            case .number(let text): numbers[text].map(JSONValue.number) ?? value
            default: value
            }
        }
    }

    /// A client message's text with the recorded ids replaced by the replay's, before it is sent:
    /// ids of ``minimumEmbeddedLength`` bytes or more wherever they occur, shorter string ids only
    /// as whole JSON strings (`"r1"`). Number ids are left alone (a digit sequence in text is too
    /// often something else).
    public func applied(toText text: String) -> String {
        guard !strings.isEmpty else { return text }
        var result = replacingEmbedded(in: text)
        for (recorded, replayed) in strings where recorded.utf8.count < Self.minimumEmbeddedLength {
            result = result.replacing("\"\(recorded)\"", with: "\"\(replayed)\"")
        }
        return result
    }

    /// `text` with every embedded recorded id replaced, scanning it once (a hash lookup of the
    /// eight bytes at each position).
    private func replacingEmbedded(in text: String) -> String {
        let bytes = Array(text.utf8)
        guard !embedded.isEmpty, bytes.count >= Self.minimumEmbeddedLength else { return text }
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index + Self.minimumEmbeddedLength <= bytes.count {
            if let candidates = embedded[Self.key(bytes, at: index)],
                let found = candidates.first(where: { index + $0.id.count <= bytes.count && bytes[index..<index + $0.id.count].elementsEqual($0.id) })
            {
                output.append(contentsOf: bytes[copied..<index])
                output.append(contentsOf: found.replacement.utf8)
                index += found.id.count
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    /// The eight bytes at `index` as one integer.
    private static func key(_ bytes: [UInt8], at index: Int) -> UInt64 {
        bytes[index..<index + minimumEmbeddedLength].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
