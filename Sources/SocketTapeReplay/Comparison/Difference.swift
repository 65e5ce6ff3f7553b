/// One way a received message differs from its recording.
///
/// `expected` and `actual` are short excerpts for people (JSON values as JSON text, long strings
/// and byte runs cut to the part around the first difference), not the whole values.
public struct Difference: Sendable, Equatable {
    /// Where, in the compared view of the message (docs/replay.md, "What is compared"): `/args/0/text`
    /// for a Socket.IO argument, `/nsp` for its namespace, `""` for the whole message.
    public var path: JSONPath
    public var kind: DifferenceKind
    /// What the recording has there; nil when it has nothing (an unexpected member).
    public var expected: String?
    /// What the target sent there; nil when it sent nothing (a missing member).
    public var actual: String?
    /// Where the two first differ, when the excerpts show only part of them: for bytes always
    /// (the byte offset), for text and strings when either is too long to show whole (the
    /// character, counted in Unicode scalars).
    public var offset: Int?

    public init(path: JSONPath, kind: DifferenceKind, expected: String?, actual: String?, offset: Int? = nil) {
        self.path = path
        self.kind = kind
        self.expected = expected
        self.actual = actual
        self.offset = offset
    }
}

/// The kinds of ``Difference``; the raw value is the name in JSON reports.
public enum DifferenceKind: String, Sendable, CaseIterable {
    /// A JSON value of the same type has another value.
    case changed
    /// A JSON value has another type (`expected` and `actual` start with the type's name).
    case typeChanged = "type-changed"
    /// An object member of the recording is not there.
    case missingMember = "missing-member"
    /// An object member is there that the recording does not have.
    case unexpectedMember = "unexpected-member"
    /// An array has another number of elements (`expected` and `actual` are the counts); the
    /// elements both have are compared one by one as well.
    case arrayLength = "array-length"
    /// A text message differs.
    case text
    /// A binary message or a Socket.IO binary attachment differs.
    case bytes
    /// The message is of another kind: JSON where there was text, an Engine.IO packet where there
    /// was a Socket.IO packet, …
    case messageKind = "message-kind"
    /// The Socket.IO or Engine.IO packet type differs (`/type`).
    case packetType = "packet-type"
    /// The Socket.IO namespace differs (`/nsp`).
    case namespace
    /// The Socket.IO event name differs (`/event`).
    case event
    /// One Socket.IO packet has an ack id and the other has none (`/id`). Ack ids themselves are
    /// not compared: the replaying client numbers its own.
    case ackID = "ack-id"
}
