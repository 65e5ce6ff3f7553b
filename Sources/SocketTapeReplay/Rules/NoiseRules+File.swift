import SocketTapeWire

/// The noise file (docs/replay.md, "Noise file"): one JSON object, an entry per line so it reads
/// and diffs well, shapes and pointers sorted.
///
/// ```
/// {"version":1,"noise":[
/// {"shape":"/chat \"message\"","pointers":["/args/0/id","/args/0/ts"]}
/// ]}
/// ```
extension NoiseRules {
    /// The version this code writes and reads.
    public static let fileVersion = 1

    /// The file's text, ending with a newline.
    public var fileText: String {
        let entries = patterns.keys.sorted().map { shape -> String in
            let pointers = (patterns[shape] ?? []).sorted().map { JSONValue.string($0.description) }
            return JSONValue.object(["shape": .string(shape.description), "pointers": .array(pointers)]).jsonText
        }
        let body = entries.isEmpty ? "" : "\n" + entries.joined(separator: ",\n") + "\n"
        return #"{"version":\#(Self.fileVersion),"noise":["# + body + "]}\n"
    }

    /// Reads a noise file. Members other than those above are ignored.
    ///
    /// - Throws: ``ReplayFileError`` naming the JSON pointer of the first value that is wrong
    ///   (`/noise/2/pointers/0`), or the byte offset of a JSON syntax error.
    public init(fileText: String) throws(ReplayFileError) {
        let root = try DocumentValue.root(parsing: fileText, version: Self.fileVersion)
        self.init()
        for entry in try root.member("noise").elements() {
            let shape = MessageShape(try entry.member("shape").string())
            for pointer in try entry.member("pointers").elements() {
                let text = try pointer.string()
                do {
                    insert(try PointerPattern(parsing: text), for: shape)
                } catch {
                    throw pointer.error(error.description)
                }
            }
        }
    }
}
