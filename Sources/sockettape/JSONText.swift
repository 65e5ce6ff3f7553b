import Foundation

/// One-line JSON for the CLI's own reports (summaries, session listings), keys sorted.
enum JSONText {
    static func object(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
