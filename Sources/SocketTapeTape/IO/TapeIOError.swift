#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call on a tape file failed.
public struct TapeIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: `create`, `open`, `read`, `write`, `fsync` or `close`.
    public var operation: String
    /// The file concerned.
    public var path: String
    /// The `errno` value the call failed with.
    public var errno: CInt

    public init(operation: String, path: String, errno: CInt) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// For example `cannot write /data/t.tape: No space left on device (errno 28)`.
    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
