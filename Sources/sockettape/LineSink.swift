#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// Buffered line output to a file or standard output, written with `write(2)` in 64 KiB pieces.
final class LineSink {
    private let descriptor: CInt
    private let path: String
    private var buffer: [UInt8] = []

    /// Output to `path` (created or truncated), or to standard output when `nil`.
    init(path: String?) throws {
        buffer.reserveCapacity(1 << 17)
        guard let path else {
            descriptor = STDOUT_FILENO
            self.path = "standard output"
            return
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ValidationError("\(path): cannot create the file: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.path = path
    }

    /// Lets `body` append whole lines (each ending in a newline) to the output buffer.
    func write(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 16 { try drain() }
    }

    private func drain() throws {
        if let failure = buffer.withUnsafeBytes({ writeAll($0, to: descriptor) }) {
            throw ValidationError("cannot write to \(path): \(String(cString: strerror(failure)))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file (standard output stays open).
    func close() throws {
        try drain()
        if descriptor != STDOUT_FILENO, systemClose(descriptor) != 0 {
            throw ValidationError("cannot close \(path): \(String(cString: strerror(errno)))")
        }
    }
}

// The system call, named apart from `LineSink`'s own `close`.
private func systemClose(_ descriptor: CInt) -> CInt { close(descriptor) }
