import CompressNIO
import NIOCore

/// Undoes an HTTP `Content-Encoding` (RFC 9110 §8.4) so a body's contents can be decoded, as
/// Engine.IO servers gzip long-polling responses past a size threshold.
///
/// `gzip` (and `x-gzip`) and `deflate` (the zlib format, as HTTP means it) are supported,
/// alone or as a list applied in order; `identity` is no encoding.
public enum HTTPContentDecoding {
    /// Why a body could not be decoded.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// `body` with the encodings of a `Content-Encoding` header value undone.
    ///
    /// - Parameters:
    ///   - body: the body as it crossed.
    ///   - contentEncoding: the header's value, such as `gzip`.
    ///   - maxSize: the largest decoded body accepted (a decompression bomb stops here).
    /// - Throws: ``Failure`` for an unknown encoding, corrupt data or a body over `maxSize`.
    public static func decode(_ body: ByteBuffer, contentEncoding: String, maxSize: Int) throws(Failure) -> ByteBuffer {
        // Content codings are tokens: no spaces inside, so removing them all trims each one.
        let codings = contentEncoding.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }.filter { !$0.isEmpty }
        var decoded = body
        // Encodings are listed in the order they were applied: undo them from the last.
        for coding in codings.reversed() {
            let algorithm: CompressionAlgorithm
            switch coding {
            case "identity": continue
            case "gzip", "x-gzip": algorithm = .gzip()
            case "deflate": algorithm = .zlib()
            default: throw Failure(reason: "unsupported Content-Encoding \(coding)")
            }
            do {
                decoded = try decoded.decompress(with: algorithm, maxSize: maxSize)
            } catch {
                throw Failure(reason: "\(coding) body does not decompress (\(error)), or is larger than \(maxSize) bytes")
            }
        }
        return decoded
    }
}
