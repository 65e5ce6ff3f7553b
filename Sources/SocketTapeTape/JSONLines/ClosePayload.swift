import NIOCore

/// The close frame payload (RFC 6455 §5.5.1): an optional big-endian code and a UTF-8 reason.
struct ClosePayload: Equatable {
    var code: UInt16?
    var reason: String
    /// Whether ``code`` and ``reason`` re-encode to exactly the original payload.
    var isLossless: Bool

    /// Splits a close payload; a 1-byte payload or a reason that is not UTF-8 is not lossless.
    init(_ payload: ByteBuffer) {
        guard payload.readableBytes >= 2 else {
            (code, reason, isLossless) = (nil, "", payload.readableBytes == 0)
            return
        }
        code = payload.getInteger(at: payload.readerIndex, as: UInt16.self)
        let rest = payload.getSlice(at: payload.readerIndex + 2, length: payload.readableBytes - 2)!
        if let reason = rest.validatedUTF8String {
            (self.reason, isLossless) = (reason, true)
        } else {
            (self.reason, isLossless) = (String(decoding: rest.readableBytesView, as: UTF8.self), false)
        }
    }

    init(code: UInt16?, reason: String) {
        (self.code, self.reason, isLossless) = (code, reason, true)
    }

    /// The payload: empty without a code.
    var payload: ByteBuffer {
        var buffer = ByteBuffer()
        if let code {
            buffer.writeInteger(code)
            buffer.writeString(reason)
        }
        return buffer
    }
}
