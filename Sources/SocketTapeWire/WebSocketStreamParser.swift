import NIOCore

/// Parses the frames one endpoint sends (one direction of a connection), as bytes arrive.
///
/// Feed bytes with ``append(_:)`` as they come from the socket and call ``nextFrame()`` until
/// it returns nil. Each frame comes out with its exact wire bytes, for forwarding untouched,
/// and with the message it completed, if any.
///
/// Enforced — each violation throws ``WebSocketProtocolError`` with the RFC close code:
/// - 1002: a client frame that is not masked, or a server frame that is (RFC 6455 §5.1);
///   RSV2 or RSV3 set; RSV1 set without permessage-deflate, or on a continuation or control
///   frame (RFC 7692 §6); a reserved opcode (§5.2); a control frame with FIN clear or a
///   payload over 125 bytes (§5.5); a continuation frame outside a message, or a text/binary
///   frame inside one (§5.4); a 64-bit length with its most significant bit set (§5.2); a
///   close payload ``WebSocketClosePayload/parse(_:)`` rejects.
/// - 1007: a text message that is not valid UTF-8 (§8.1), checked incrementally across
///   fragments so a code point may be split between them; a close reason that is not UTF-8;
///   DEFLATE data that does not inflate.
/// - 1009: a frame payload over ``WebSocketLimits/maxFrameSize`` (thrown as soon as the header
///   is in, before the payload is buffered); a message over ``WebSocketLimits/maxMessageSize``,
///   reassembled or inflated.
/// - 1011: the inflater could not be created or reset.
///
/// Not enforced: minimal length encoding, and anything about frames after a close frame
/// (the caller sees the close message and decides). Control frames inside a fragmented
/// message are allowed and come out as their own messages at once.
///
/// Errors are sticky: after one, ``nextFrame()`` throws it again and appended bytes are dropped
/// (``takeUnparsedBytes()`` hands over what was buffered).
/// With permessage-deflate the parser owns one zlib stream; copies of a parser share it, so
/// use only one copy.
public struct WebSocketStreamParser {
    private let sender: WebSocketRole
    private let limits: WebSocketLimits
    private let deflateNegotiated: Bool
    private var buffer = ByteBuffer()
    private var assembler: WebSocketMessageAssembler
    private var failure: WebSocketProtocolError?

    /// - Parameters:
    ///   - sender: The endpoint whose frames this parser reads.
    ///   - deflate: The negotiated permessage-deflate parameters, or nil when not negotiated.
    ///   - limits: Frame and message size limits.
    public init(sender: WebSocketRole, deflate: PerMessageDeflateParameters?, limits: WebSocketLimits = .init()) {
        self.sender = sender
        self.limits = limits
        self.deflateNegotiated = deflate != nil
        self.assembler = WebSocketMessageAssembler(
            inflater: deflate.map { PerMessageDeflateInflater(parameters: $0, sender: sender) },
            maxMessageSize: limits.maxMessageSize
        )
    }

    /// Bytes received but not yet returned as frames: at most one partial frame after
    /// ``nextFrame()`` returned nil.
    public var bufferedByteCount: Int {
        buffer.readableBytes
    }

    /// Adds bytes received from the socket. Takes `bytes` without copying when nothing is
    /// buffered; otherwise appends them to the partial frame.
    public mutating func append(_ bytes: ByteBuffer) {
        guard failure == nil else { return }
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            buffer.discardReadBytes()
            buffer.writeImmutableBuffer(bytes)
        }
    }

    /// The next complete frame.
    ///
    /// - Returns: The frame, or nil when more bytes are needed.
    /// - Throws: ``WebSocketProtocolError``; see the type's documentation for what is checked.
    public mutating func nextFrame() throws(WebSocketProtocolError) -> ParsedFrame? {
        if let failure { throw failure }
        do {
            return try parseFrame()
        } catch {
            failure = error
            throw error
        }
    }

    /// After an error, the bytes not returned as frames — from the frame that failed when its
    /// header was at fault, after it when its payload was (bad UTF-8, DEFLATE) — for a reader that
    /// resynchronises on them (a capture import). Leaves the parser empty.
    public mutating func takeUnparsedBytes() -> ByteBuffer {
        defer { buffer = ByteBuffer() }
        return buffer
    }

    private mutating func parseFrame() throws(WebSocketProtocolError) -> ParsedFrame? {
        guard let header = WebSocketFrameHeader.peek(in: buffer) else { return nil }
        try validate(header)
        let isControl = WebSocketOpcode.isControl(header.opcode)
        if !isControl {
            try assembler.validate(header)
        }
        guard UInt64(buffer.readableBytes) >= UInt64(header.headerLength) + header.payloadLength else {
            return nil
        }
        let wire = buffer.readSlice(length: header.headerLength + Int(header.payloadLength))!
        releaseDrainedBuffer()
        let message = isControl ? try controlMessage(wire, header) : try assembler.add(frame: wire, header: header)
        return ParsedFrame(header: header, wire: wire, message: message)
    }

    /// Lets go of the receive buffer once every byte of it has been parsed (the frames returned
    /// keep their slices of it). `append` takes the socket's read buffer without copying; held on
    /// to after that, SwiftNIO could not reuse it for the socket's next read and would allocate
    /// another, so every connection would keep an extra read buffer.
    private mutating func releaseDrainedBuffer() {
        if buffer.readableBytes == 0, buffer.capacity > 0 {
            buffer = ByteBuffer()
        }
    }

    /// The checks that need only the header itself.
    private func validate(_ header: WebSocketFrameHeader) throws(WebSocketProtocolError) {
        try Self.check(header, sender: sender, deflateNegotiated: deflateNegotiated, maxFrameSize: limits.maxFrameSize)
    }

    /// The checks a frame header must pass on its own (see the type's documentation), for the
    /// parser and for a reader looking for where frames start in bytes of unknown alignment.
    public static func check(
        _ header: WebSocketFrameHeader, sender: WebSocketRole, deflateNegotiated: Bool, maxFrameSize: UInt64
    ) throws(WebSocketProtocolError) {
        if header.rsv & 0b011 != 0 {
            throw .protocolError("RSV2 or RSV3 set without a negotiated extension")
        }
        if WebSocketOpcode.isReserved(header.opcode) {
            throw .protocolError("reserved opcode \(header.opcode)")
        }
        switch sender {
        case .client where header.maskingKey == nil:
            throw .protocolError("client frame is not masked")
        case .server where header.maskingKey != nil:
            throw .protocolError("server frame is masked")
        default:
            break
        }
        if header.payloadLength >> 63 != 0 {
            throw .protocolError("64-bit payload length has its most significant bit set")
        }
        if WebSocketOpcode.isControl(header.opcode) {
            if header.payloadLength > 125 {
                throw .protocolError("control frame payload longer than 125 bytes")
            }
            if !header.fin {
                throw .protocolError("fragmented control frame")
            }
            if header.rsv1 {
                throw .protocolError("RSV1 set on a control frame")
            }
        } else if header.rsv1 {
            if !deflateNegotiated {
                throw .protocolError("RSV1 set without permessage-deflate")
            }
            if header.opcode == WebSocketOpcode.continuation.rawValue {
                throw .protocolError("RSV1 set on a continuation frame")
            }
        }
        if header.payloadLength > maxFrameSize {
            throw .messageTooBig("frame payload exceeds the limit of \(maxFrameSize) bytes")
        }
    }

    private func controlMessage(
        _ wire: ByteBuffer,
        _ header: WebSocketFrameHeader
    ) throws(WebSocketProtocolError) -> WebSocketMessage {
        var payload = wire.getSlice(at: wire.readerIndex + header.headerLength, length: Int(header.payloadLength))!
        if header.maskingKey != nil {
            var unmasked = ByteBufferAllocator().buffer(capacity: payload.readableBytes)
            WebSocketMasking.apply(key: header.maskingKey, to: payload, appendingTo: &unmasked)
            payload = unmasked
        }
        let opcode = WebSocketOpcode(rawValue: header.opcode)!
        if opcode == .close {
            _ = try WebSocketClosePayload.parse(payload)
        }
        return WebSocketMessage(opcode: opcode, payload: payload)
    }
}
