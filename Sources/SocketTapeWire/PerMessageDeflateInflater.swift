import CompressNIO
import NIOCore

/// The receiving half of permessage-deflate for one direction (RFC 7692 §7.2.2).
///
/// Compressed frames are inflated as they arrive, into the message payload, and `00 00 FF FF`
/// is appended at the end of each message. The inflater is reset after a message when the
/// sender's `*_no_context_takeover` was negotiated, and after a message whose DEFLATE data
/// ended with a BFINAL block (§7.2.3.4; bytes after that block are ignored).
///
/// Holds a zlib stream (a class instance): copies of this struct share it.
struct PerMessageDeflateInflater {
    private let windowBits: Int32
    private let noContextTakeover: Bool
    private var zlib: ZlibDecompressor?
    /// Reused buffer holding the unmasked compressed bytes being inflated.
    private var input = ByteBuffer()
    private var streamEnded = false

    /// - Parameters:
    ///   - parameters: The negotiated parameters.
    ///   - sender: Whose messages this inflater reads.
    init(parameters: PerMessageDeflateParameters, sender: WebSocketRole) {
        let bits: Int
        switch sender {
        case .client:
            bits = parameters.clientMaxWindowBits
            noContextTakeover = parameters.clientNoContextTakeover
        case .server:
            bits = parameters.serverMaxWindowBits
            noContextTakeover = parameters.serverNoContextTakeover
        }
        // zlib cannot deflate raw streams with an 8-bit window and uses 9 bits instead, so a
        // sender that negotiated 8 may reference 512 bytes back: inflate with at least 9.
        windowBits = Int32(max(bits, 9))
    }

    /// Inflates one frame's payload, appending the output to `output`; the frame that ends a
    /// message gets the `00 00 FF FF` tail inflated in the same pass, then the reset when required.
    ///
    /// - Parameters:
    ///   - payload: The frame's payload as received (still masked when `maskingKey` is given).
    ///   - endsMessage: The frame has FIN set.
    ///   - limit: The most bytes `output` may hold.
    mutating func inflate(
        _ payload: ByteBuffer,
        maskingKey: UInt32?,
        endsMessage: Bool,
        into output: inout ByteBuffer,
        limit: Int
    ) throws(WebSocketProtocolError) {
        input.clear()
        WebSocketMasking.apply(key: maskingKey, to: payload, appendingTo: &input)
        if endsMessage { input.writeInteger(UInt32(0x0000_FFFF)) }
        if input.readableBytes > 0 { try run(into: &output, limit: limit) }
        guard endsMessage else { return }
        if streamEnded || noContextTakeover, let zlib {
            do {
                try zlib.reset()
            } catch {
                throw .internalError("cannot reset the inflater")
            }
        }
        streamEnded = false
    }

    private mutating func run(into output: inout ByteBuffer, limit: Int) throws(WebSocketProtocolError) {
        guard !streamEnded else { return }
        let zlib = try decompressor()
        while output.readableBytes <= limit {
            let room = limit - output.readableBytes
            output.reserveCapacity(minimumWritableBytes: min(max(output.readableBytes, 4096), room) + 1)
            do {
                try zlib.inflate(from: &input, to: &output)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                continue  // output full: grow it and go on
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                break  // all input consumed
            } catch let error as CompressNIOError where error == .corruptData {
                throw .invalidPayload("invalid DEFLATE data")
            } catch {
                throw .internalError("inflater failure")
            }
            // No error and input left over: the DEFLATE stream ended (a BFINAL block).
            if input.readableBytes > 0 {
                streamEnded = true
                input.clear()
            }
            break
        }
        // ByteBuffer grows in powers of two, so zlib may overshoot the limit before this check.
        guard output.readableBytes <= limit else {
            throw .messageTooBig("inflated message exceeds the limit of \(limit) bytes")
        }
    }

    private mutating func decompressor() throws(WebSocketProtocolError) -> ZlibDecompressor {
        if let zlib { return zlib }
        do {
            let zlib = try ZlibDecompressor(algorithm: .deflate, windowSize: windowBits)
            self.zlib = zlib
            return zlib
        } catch {
            throw .internalError("cannot create the inflater")
        }
    }
}
