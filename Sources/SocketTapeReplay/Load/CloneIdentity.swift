/// Who one clone of a session is: the values of the `{clone}` and `{session}` placeholders, which
/// are replaced in `--header` values, in the Socket.IO CONNECT auth (`--auth`, `--auth-list`) and
/// in the tape's client text messages, so that clones do not collide where the recorded identity
/// would (a user name, a token).
struct CloneIdentity {
    /// The clone number, `0 ..< clients`.
    var clone: Int
    /// The tape's session id.
    var session: String

    /// `text` with the placeholders replaced, as they are: no quoting is added.
    func apply(to text: String) -> String {
        guard Self.hasPlaceholder(text) else { return text }
        return text.replacing("{clone}", with: String(clone)).replacing("{session}", with: session)
    }

    /// Whether `text` holds `{clone}` or `{session}`.
    static func hasPlaceholder(_ text: String) -> Bool {
        text.contains("{clone}") || text.contains("{session}")
    }
}
