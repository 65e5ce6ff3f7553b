/// File names of a rotated tape: the first segment is `PATH`, later ones `PATH.1`, `PATH.2`, ….
enum TapeSegmentPath {
    /// The file of segment `segment` of the tape whose first segment is `base`.
    static func path(base: String, segment: UInt32) -> String {
        segment == 0 ? base : "\(base).\(segment)"
    }

    /// The first segment's path, given the path of segment `segment` (so any segment can be opened directly).
    static func base(of path: String, segment: UInt32) -> String {
        let suffix = ".\(segment)"
        guard segment > 0, path.hasSuffix(suffix) else { return path }
        return String(path.dropLast(suffix.count))
    }
}
