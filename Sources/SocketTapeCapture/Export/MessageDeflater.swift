import CompressNIO
import NIOCore

/// Compresses one WebSocket message for permessage-deflate (RFC 7692 §7.2.1), on its own.
///
/// The tape holds messages inflated, and the compressor state the sender had is gone, so each
/// message is compressed afresh: raw DEFLATE, ended with a sync flush whose `00 00 FF FF` tail is
/// removed. Such a message refers to nothing before it, so a receiver accepts it with or without
/// context takeover. The bytes differ from those that crossed (so do the frame lengths); the
/// inflated payload is the same.
enum MessageDeflater {
    /// The compressed payload of `payload`.
    ///
    /// - Parameter windowBits: The sender's negotiated `*_max_window_bits` (zlib cannot write 8 and
    ///   uses 9 instead, as every zlib-based sender does).
    static func deflate(_ payload: ByteBuffer, windowBits: Int) throws -> ByteBuffer {
        let configuration = ZlibConfiguration(windowSize: Int32(min(max(windowBits, 9), 15)), compressionLevel: -1, memoryLevel: 8)
        let compressor = try ZlibCompressor(algorithm: .deflate, configuration: configuration)
        var input = payload
        var output = try input.compressStream(with: compressor, flush: .sync)
        // A sync flush always ends with the empty stored block's LEN/NLEN, 00 00 FF FF.
        output.moveWriterIndex(to: output.writerIndex - 4)
        return output
    }
}
