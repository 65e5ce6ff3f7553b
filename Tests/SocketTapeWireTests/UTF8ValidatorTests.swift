import NIOCore
import SocketTapeWire
import Testing

struct UTF8ValidatorTests {
    static let valid: [[UInt8]] = [
        [], Array("Hello, world! 0123456789".utf8), Array("κόσμε".utf8), Array("日本語テキスト 🎉 mixed ascii".utf8),
        bytes("7f"), bytes("c2 80"), bytes("df bf"), bytes("e0 a0 80"), bytes("ed 9f bf"), bytes("ee 80 80"),
        bytes("ef bf bf"), bytes("ef bf bd"), bytes("f0 90 80 80"), bytes("f4 8f bf bf"),
        Array(repeating: 0x41, count: 37) + bytes("f0 9f 8e 89") + Array(repeating: 0x42, count: 19),
    ]

    static let invalid: [[UInt8]] = [
        bytes("80"), bytes("bf"), bytes("c0 80"), bytes("c1 bf"), bytes("e0 80 80"), bytes("e0 9f bf"),
        bytes("ed a0 80"), bytes("ed bf bf"), bytes("f0 80 80 80"), bytes("f0 8f bf bf"), bytes("f4 90 80 80"),
        bytes("f5 80 80 80"), bytes("f8 88 80 80 80"), bytes("fe"), bytes("ff"), bytes("c2 41"), bytes("e2 82 41"),
        Array(repeating: 0x41, count: 16) + bytes("80") + Array(repeating: 0x41, count: 16),
        bytes("ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"),
    ]

    @Test(arguments: valid)
    func validInputIsCompleteAtEverySplit(input: [UInt8]) {
        #expect(UTF8Validator.isValid(ByteBuffer(bytes: input)))
        for split in 0...input.count {
            var validator = UTF8Validator()
            validator.consume(ByteBuffer(bytes: input[..<split]))
            validator.consume(ByteBuffer(bytes: input[split...]))
            #expect(validator.isComplete)
        }
    }

    @Test(arguments: invalid)
    func invalidInputFailsAtEverySplit(input: [UInt8]) {
        #expect(!UTF8Validator.isValid(ByteBuffer(bytes: input)))
        for split in 0...input.count {
            var validator = UTF8Validator()
            validator.consume(ByteBuffer(bytes: input[..<split]))
            let accepted = validator.consume(ByteBuffer(bytes: input[split...]))
            #expect(!accepted)
            #expect(validator.hasFailed)
        }
    }

    @Test func truncatedSequenceIsIncompleteNotFailed() {
        var validator = UTF8Validator()
        let acceptedPrefix = validator.consume(ByteBuffer(bytes: bytes("41 f0 9f 8e")))
        #expect(acceptedPrefix)
        #expect(!validator.isComplete)
        #expect(!validator.hasFailed)
        let acceptedRest = validator.consume(ByteBuffer(bytes: [0x89]))
        #expect(acceptedRest)
        #expect(validator.isComplete)
    }

    @Test func failureIsSticky() {
        var validator = UTF8Validator()
        validator.consume(ByteBuffer(bytes: [0xFF]))
        let accepted = validator.consume(ByteBuffer(string: "fine"))
        #expect(!accepted)
        #expect(!validator.isComplete)
    }

    /// Compares with the standard library's UTF-8 decoder on every 1- and 2-byte input and on
    /// pseudo-random 3- and 4-byte inputs.
    @Test func agreesWithTheStandardLibrary() {
        func standardLibraryAccepts(_ input: [UInt8]) -> Bool {
            !transcode(input.makeIterator(), from: UTF8.self, to: UTF32.self, stoppingOnError: true) { _ in }
        }
        var inputs: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for first in 0...255 {
            for second in 0...255 {
                inputs.append([UInt8(first), UInt8(second)])
            }
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<100_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let lead = 0xE0 + UInt8(truncatingIfNeeded: state >> 59)  // E0...FF
            let tail = (0..<(lead >= 0xF0 ? 3 : 2)).map { index -> UInt8 in
                let random = UInt8(truncatingIfNeeded: state >> (8 * index + 8))
                // Mostly continuation bytes, so the lead's second-byte ranges get exercised.
                return state & (1 << (50 + index)) == 0 ? 0x80 | random & 0x3F : random
            }
            inputs.append([lead] + tail)
        }
        for input in inputs {
            let accepted = input.withUnsafeBytes { raw in
                var validator = UTF8Validator()
                return validator.consume(raw) && validator.isComplete
            }
            #expect(accepted == standardLibraryAccepts(input), "\(input)")
        }
    }
}
