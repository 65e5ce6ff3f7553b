import NIOCore
import SocketTapeWire
import Testing

/// How a test feeds its input to a parser.
enum FeedMode: CaseIterable, Sendable {
    case allAtOnce
    case byteByByte
}

/// Bytes from hex, ignoring spaces: `bytes("81 05")`.
func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

func text(_ string: String, frames: Int = 1, compressed: Bool = false) -> WebSocketMessage {
    WebSocketMessage(opcode: .text, payload: ByteBuffer(string: string), frames: frames, compressed: compressed)
}

/// Feeds `input` to a new parser (all at once or one byte at a time) and collects the frames.
func parse(
    _ input: [UInt8],
    sender: WebSocketRole,
    deflate: PerMessageDeflateParameters? = nil,
    limits: WebSocketLimits = .init(),
    mode: FeedMode
) throws(WebSocketProtocolError) -> (frames: [ParsedFrame], leftover: Int) {
    var parser = WebSocketStreamParser(sender: sender, deflate: deflate, limits: limits)
    var frames: [ParsedFrame] = []
    let chunks = mode == .allAtOnce ? [input[...]] : input.indices.map { input[$0...$0] }
    for chunk in chunks {
        parser.append(ByteBuffer(bytes: chunk))
        while let frame = try parser.nextFrame() {
            frames.append(frame)
        }
    }
    return (frames, parser.bufferedByteCount)
}

/// Parses `input` and checks that the frames' wire bytes are exactly the input, in order.
func parseWhole(
    _ input: [UInt8],
    sender: WebSocketRole,
    deflate: PerMessageDeflateParameters? = nil,
    limits: WebSocketLimits = .init(),
    mode: FeedMode,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [ParsedFrame] {
    let (frames, leftover) = try parse(input, sender: sender, deflate: deflate, limits: limits, mode: mode)
    var wire = ByteBuffer()
    for frame in frames {
        wire.writeImmutableBuffer(frame.wire)
    }
    #expect(Array(buffer: wire) == input, "wire bytes differ from the input", sourceLocation: sourceLocation)
    #expect(leftover == 0, sourceLocation: sourceLocation)
    return frames
}

/// Expects parsing `input` to fail with `closeCode`, in both feed modes.
func expectFailure(
    _ closeCode: UInt16,
    _ input: [UInt8],
    sender: WebSocketRole,
    deflate: PerMessageDeflateParameters? = nil,
    limits: WebSocketLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for mode in FeedMode.allCases {
        do {
            _ = try parse(input, sender: sender, deflate: deflate, limits: limits, mode: mode)
            Issue.record("expected close code \(closeCode) (\(mode))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.closeCode == closeCode, "\(mode): \(error)", sourceLocation: sourceLocation)
            #expect(error.reason.utf8.count <= 123, sourceLocation: sourceLocation)
        }
    }
}

/// A frame built with ``WebSocketFrameEncoder``, as bytes.
func frame(
    _ opcode: UInt8,
    _ payload: [UInt8],
    fin: Bool = true,
    rsv: UInt8 = 0,
    maskingKey: UInt32? = nil
) -> [UInt8] {
    Array(
        buffer: WebSocketFrameEncoder.encode(
            opcode: opcode,
            payload: ByteBuffer(bytes: payload),
            fin: fin,
            rsv: rsv,
            maskingKey: maskingKey
        )
    )
}

let testKey: UInt32 = 0x37FA_213D
