import NIOCore

/// Turns data frames into messages for one direction: reassembly, permessage-deflate
/// inflation, the message size limit and incremental UTF-8 validation of text.
struct WebSocketMessageAssembler {
    /// The open message's opcode (`.text` or `.binary`); nil between messages.
    private var opcode: WebSocketOpcode?
    private var compressed = false
    private var frames = 0
    private var payload = ByteBuffer()
    private var utf8 = UTF8Validator()
    private var inflater: PerMessageDeflateInflater?
    private let maxMessageSize: Int

    init(inflater: PerMessageDeflateInflater?, maxMessageSize: UInt64) {
        self.inflater = inflater
        self.maxMessageSize = Int(clamping: maxMessageSize)
    }

    /// Checks a data frame's header against the open message, before its payload is buffered:
    /// continuation only inside a message, text/binary only outside one (RFC 6455 §5.4), and
    /// the uncompressed message size.
    func validate(_ header: WebSocketFrameHeader) throws(WebSocketProtocolError) {
        let isContinuation = header.opcode == WebSocketOpcode.continuation.rawValue
        if isContinuation, opcode == nil {
            throw .protocolError("continuation frame without a message to continue")
        }
        if !isContinuation, opcode != nil {
            throw .protocolError("new data frame while a fragmented message is open")
        }
        let sizeSoFar = isContinuation ? payload.readableBytes : 0
        let isCompressed = isContinuation ? compressed : header.rsv1
        if !isCompressed, UInt64(sizeSoFar) + header.payloadLength > UInt64(maxMessageSize) {
            throw .messageTooBig("message exceeds the limit of \(maxMessageSize) bytes")
        }
    }

    /// Adds a data frame that passed ``validate(_:)``.
    ///
    /// - Parameter wire: The whole frame as received.
    /// - Returns: The message, when this frame finished it.
    mutating func add(
        frame wire: ByteBuffer,
        header: WebSocketFrameHeader
    ) throws(WebSocketProtocolError) -> WebSocketMessage? {
        let length = Int(header.payloadLength)
        let body = wire.getSlice(at: wire.readerIndex + header.headerLength, length: length)!
        let startsMessage = header.opcode != WebSocketOpcode.continuation.rawValue
        // A whole unmasked, uncompressed message is a slice of the input: no copy.
        let isZeroCopy = startsMessage && header.fin && !header.rsv1 && header.maskingKey == nil
        if startsMessage {
            opcode = WebSocketOpcode(rawValue: header.opcode)
            compressed = header.rsv1
            frames = 0
            utf8 = UTF8Validator()
            if isZeroCopy {
                payload = body
            } else if compressed {
                payload = ByteBuffer()  // no allocation yet: the inflater sizes it
            } else {
                payload = ByteBufferAllocator().buffer(capacity: length)
            }
        }
        frames += 1
        let start = payload.writerIndex
        if compressed {
            try inflater!.inflate(body, maskingKey: header.maskingKey, endsMessage: header.fin, into: &payload, limit: maxMessageSize)
        } else if !isZeroCopy {
            WebSocketMasking.apply(key: header.maskingKey, to: body, appendingTo: &payload)
        }
        if opcode == .text {
            let added = isZeroCopy ? body : payload.getSlice(at: start, length: payload.writerIndex - start)!
            guard utf8.consume(added), !header.fin || utf8.isComplete else {
                throw .invalidPayload("text message is not valid UTF-8")
            }
        }
        guard header.fin, let opcode else { return nil }
        let message = WebSocketMessage(opcode: opcode, payload: payload, frames: frames, compressed: compressed)
        self.opcode = nil
        payload = ByteBuffer()
        return message
    }
}
