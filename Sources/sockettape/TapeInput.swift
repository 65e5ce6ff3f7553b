import ArgumentParser
import SocketTapeTape

/// Opening tapes named on the command line, with errors that name the file.
enum TapeInput {
    static func open(_ path: String) throws -> TapeReader {
        do {
            return try TapeReader(path: path)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Says on stderr that the tape at `path` was recovered, and where, once `reader` is at its end.
    static func reportDamage(of reader: TapeReader, path: String) {
        if let damage = reader.damage {
            StandardError.write("sockettape: \(path): recovered: \(damage)")
        }
    }
}
