#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import ArgumentParser

/// Reading and writing whole files named on the command line.
enum FileContents {
    /// The text of `path`; nil when the file does not exist and is not `required`.
    static func readIfPresent(_ path: String, required: Bool) throws -> String? {
        switch read(path) {
        case .success(let bytes):
            return String(decoding: bytes, as: UTF8.self)
        case .failure(let error) where error.errno == ENOENT && !required:
            return nil
        case .failure(let error):
            throw ValidationError("cannot read \(path): \(error)")
        }
    }

    /// Writes `text` to `path`, created or truncated.
    static func write(_ text: String, to path: String) throws {
        let sink = try LineSink(path: path)
        try sink.write { $0.append(contentsOf: text.utf8) }
        try sink.close()
    }

    /// The bytes of `path`, or why they cannot be read.
    static func read(_ path: String) -> Result<[UInt8], FileReadError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(FileReadError(errno: errno)) }
        defer { _ = close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[..<count])
            } else if count == 0 {
                return .success(bytes)
            } else if errno != EINTR {
                return .failure(FileReadError(errno: errno))
            }
        }
    }
}

/// A file that could not be read, with the system's reason.
struct FileReadError: Error, CustomStringConvertible {
    var errno: CInt
    var description: String { String(cString: strerror(errno)) }
}

private func systemRead(_ descriptor: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
