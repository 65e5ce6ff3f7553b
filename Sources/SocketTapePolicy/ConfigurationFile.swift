#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension PolicyConfiguration {
    /// Reads and parses the configuration file at `path` (see ``parse(yaml:file:)``).
    public static func load(path: String) async throws(ConfigurationError) -> PolicyConfiguration {
        let bytes: [UInt8]
        switch readFile(path) {
        case .success(let contents): bytes = contents
        case .failure(let reason):
            throw ConfigurationError(problems: [.init(file: path, line: 0, column: 0, message: "cannot read: \(reason)")])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(problems: [.init(file: path, line: 0, column: 0, message: "not UTF-8 text")])
        }
        return try await parse(yaml: text, file: path)
    }
}

/// The bytes of a file, or the system's reason why not.
func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(ReadFailure(errno: errno)) }
    defer { _ = close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        if count > 0 {
            bytes.append(contentsOf: chunk[..<count])
        } else if count == 0 {
            return .success(bytes)
        } else if errno != EINTR {
            return .failure(ReadFailure(errno: errno))
        }
    }
}

struct ReadFailure: Error, CustomStringConvertible {
    var errno: CInt
    var description: String { String(cString: strerror(errno)) }
}
