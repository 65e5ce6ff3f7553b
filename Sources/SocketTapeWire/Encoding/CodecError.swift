/// Input that a protocol codec cannot decode (or a packet a format cannot carry): what is wrong
/// and at which byte offset. One type per protocol (``EngineIOError``, ``SocketIOError``), told
/// apart by `Layer`, so typed throws say which codec failed.
public struct CodecError<Layer: CodecLayer>: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem in the decoded input (a WebSocket payload, a polling body,
    /// a packet's text); nil for problems that are not at a place (encoding, a missing query
    /// parameter, an attachment nobody waits for).
    public var offset: Int?
    /// What is wrong, such as `unknown packet type '9'`.
    public var reason: String

    public init(offset: Int?, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `Engine.IO: unknown packet type '9' (at byte 0)`.
    public var description: String {
        "\(Layer.name): \(reason)" + (offset.map { " (at byte \($0))" } ?? "")
    }
}

/// The protocol a ``CodecError`` belongs to.
public protocol CodecLayer: Sendable {
    /// The protocol's name, which starts error descriptions.
    static var name: String { get }
}

/// Engine.IO (``EngineIOError``).
public enum EngineIOLayer: CodecLayer {
    public static let name = "Engine.IO"
}

/// Socket.IO (``SocketIOError``).
public enum SocketIOLayer: CodecLayer {
    public static let name = "Socket.IO"
}

/// Base64 (``Base64DecodingError``).
public enum Base64Layer: CodecLayer {
    public static let name = "base64"
}

/// JSON pointers (``JSONPointerError``).
public enum JSONPointerLayer: CodecLayer {
    public static let name = "JSON pointer"
}

/// Text that is not base64.
public typealias Base64DecodingError = CodecError<Base64Layer>

/// Engine.IO input that does not decode, or a packet that the requested format cannot carry.
public typealias EngineIOError = CodecError<EngineIOLayer>

/// A Socket.IO packet that does not decode, or attachments that do not fit their packet.
public typealias SocketIOError = CodecError<SocketIOLayer>

/// Text that is not an RFC 6901 JSON pointer (``JSONPointer/tokens(of:)``).
public typealias JSONPointerError = CodecError<JSONPointerLayer>
