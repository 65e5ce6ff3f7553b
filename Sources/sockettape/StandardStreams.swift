#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The CLI's messages for the person at the terminal (errors, recovery notes) go to stderr,
/// so stdout carries only what was asked for.
enum StandardError {
    /// Writes `line` and (unless told otherwise) a newline to standard error, unbuffered.
    static func write(_ line: String, newline: Bool = true) {
        // If stderr is gone there is nowhere left to complain to.
        _ = Array((newline ? line + "\n" : line).utf8).withUnsafeBytes { writeAll($0, to: STDERR_FILENO) }
    }
}

/// Writes all of `bytes` to `descriptor`, retrying short writes and `EINTR`; returns the errno of a failure.
func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: CInt) -> CInt? {
    var written = 0
    while written < bytes.count {
        let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
        if result >= 0 {
            written += result
        } else if errno != EINTR {
            return errno
        }
    }
    return nil
}

/// Standard output as `print` buffers it.
enum StandardOutput {
    /// Hands what `print` buffered to the system now (a follower of the output sees it at once).
    static func flush() {
        fflush(nil)
    }
}
