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
}
