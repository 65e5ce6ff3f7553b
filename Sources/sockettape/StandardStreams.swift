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
    /// Writes `line` and a newline to standard error, unbuffered.
    static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = systemWrite(STDERR_FILENO, buffer.baseAddress! + written, buffer.count - written)
                if result > 0 {
                    written += result
                } else if result < 0, errno == EINTR {
                    continue
                } else {
                    return  // nowhere left to complain to
                }
            }
        }
    }
}

/// Standard output as `print` buffers it.
enum StandardOutput {
    /// Hands what `print` buffered to the system now (a follower of the output sees it at once).
    static func flush() {
        fflush(nil)
    }
}

private func systemWrite(_ descriptor: CInt, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
