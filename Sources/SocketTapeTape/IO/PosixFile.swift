import CSocketTapeShims
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor with the few calls the tape needs, retrying `EINTR` and short writes.
///
/// Reads use `pread` at explicit offsets, so a reader never depends on the descriptor's position.
final class PosixFile {
    let path: String
    private var descriptor: CInt

    private init(path: String, descriptor: CInt) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = Self.closeDescriptor(descriptor) }
    }

    /// Creates (or truncates) `path` for writing.
    static func create(_ path: String) throws(TapeIOError) -> PosixFile {
        try makeFile(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, operation: "create")
    }

    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws(TapeIOError) -> PosixFile {
        try makeFile(path, flags: O_RDONLY | O_CLOEXEC, operation: "open")
    }

    private static func makeFile(_ path: String, flags: CInt, operation: String) throws(TapeIOError) -> PosixFile {
        while true {
            let descriptor = open(path, flags, 0o644)
            if descriptor >= 0 { return PosixFile(path: path, descriptor: descriptor) }
            if errno != EINTR { throw TapeIOError(operation: operation, path: path, errno: errno) }
        }
    }

    /// Writes all readable bytes of `buffer`.
    func writeAll(_ buffer: ByteBuffer) throws(TapeIOError) {
        let failure: CInt? = buffer.withUnsafeReadableBytes { bytes in
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
        if let failure { throw TapeIOError(operation: "write", path: path, errno: failure) }
    }

    /// Reads up to `count` bytes at `offset`, appending them to `buffer`; returns how many were read (0 at end of file).
    func readBytes(into buffer: inout ByteBuffer, at offset: Int64, count: Int) throws(TapeIOError) -> Int {
        let result = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            while true {
                let result = pread(descriptor, bytes.baseAddress!, count, off_t(offset))
                if result >= 0 || errno != EINTR { return result }
            }
        }
        if result < 0 { throw TapeIOError(operation: "read", path: path, errno: errno) }
        return result
    }

    /// Starts write-back of `[start, start + length)` and lets the kernel drop the pages of the
    /// ``forgetWindow`` bytes before `start`.
    ///
    /// A hint, so failures are ignored: the bytes are written either way. A recording proxy
    /// writes hundreds of MB/s of tape that nobody reads back soon; left in the page cache, every
    /// new page is a fresh allocation, which costs more CPU than the copy itself, and the tape
    /// crowds out other data. Pages still being written back are kept, and dropped by a later
    /// call while they are in its window; a window rather than the whole file, so that a call
    /// does not walk every page still cached before it.
    func releaseWrittenPages(start: Int64, length: Int64) {
        _ = sockettape_release_written_pages(descriptor, start, length, max(0, start - Self.forgetWindow))
    }

    /// How far back from the latest write the pages of a tape are let go.
    static let forgetWindow: Int64 = 16 << 20

    /// Flushes the file's data to the device. A pipe or other special file has nothing to flush.
    func sync() throws(TapeIOError) {
        if fsync(descriptor) != 0, errno != EINVAL { throw TapeIOError(operation: "fsync", path: path, errno: errno) }
    }

    /// Closes the descriptor; later calls do nothing.
    func closeFile() throws(TapeIOError) {
        guard descriptor >= 0 else { return }
        let result = Self.closeDescriptor(descriptor)
        descriptor = -1
        if let result { throw TapeIOError(operation: "close", path: path, errno: result) }
    }

    /// Closes `descriptor` (never retried: after `EINTR` the descriptor is already gone on Linux); returns the errno on failure.
    private static func closeDescriptor(_ descriptor: CInt) -> CInt? {
        close(descriptor) == 0 ? nil : errno
    }
}
