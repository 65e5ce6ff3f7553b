import NIOCore

/// An incremental UTF-8 validator: a DFA over the well-formed byte sequences of Unicode
/// Table 3-7 (RFC 3629).
///
/// Rejects overlong encodings (C0, C1, E0 80–9F, F0 80–8F), UTF-16 surrogates (ED A0–BF),
/// code points above U+10FFFF (F4 90–BF, F5–FF) and stray or missing continuation bytes.
/// Input may be fed in pieces split anywhere, even inside a code point; ``isComplete`` tells
/// whether everything fed so far ends on a code point boundary. Runs of ASCII are checked
/// 8 bytes at a time.
public struct UTF8Validator: Sendable, Hashable {
    private var state = State.accept

    public init() {}

    /// Whether all bytes fed so far are valid UTF-8 ending on a code point boundary.
    public var isComplete: Bool {
        state == State.accept
    }

    /// Whether the bytes fed so far can no longer be the start of valid UTF-8.
    public var hasFailed: Bool {
        state == State.reject
    }

    /// Feeds more bytes.
    ///
    /// - Returns: false once the input so far cannot be the prefix of valid UTF-8 (the
    ///   validator then stays failed); true otherwise, even inside an unfinished code point.
    @discardableResult
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var state = self.state
        let count = bytes.count
        var index = 0
        Self.byteClasses.withUnsafeBufferPointer { classes in
            Self.transitions.withUnsafeBufferPointer { transitions in
                while index < count, state != State.reject {
                    if state == State.accept {
                        while index + 8 <= count,
                            bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                        {
                            index += 8
                        }
                        guard index < count else { break }
                    }
                    let byteClass = classes[Int(bytes[index])]
                    state = transitions[Int(state) * ByteClass.count + Int(byteClass)]
                    index += 1
                }
            }
        }
        self.state = state
        return state != State.reject
    }

    /// Feeds the readable bytes of `buffer`; see the `UnsafeRawBufferPointer` overload.
    @discardableResult
    public mutating func consume(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { consume($0) }
    }

    /// Whether the readable bytes of `buffer` are, on their own, complete valid UTF-8.
    public static func isValid(_ buffer: ByteBuffer) -> Bool {
        var validator = UTF8Validator()
        return validator.consume(buffer) && validator.isComplete
    }

    /// DFA states: what the validator still expects.
    private enum State {
        static let accept: UInt8 = 0
        static let reject: UInt8 = 1
        static let oneMore: UInt8 = 2  // any continuation byte, then done
        static let twoMore: UInt8 = 3
        static let threeMore: UInt8 = 4
        static let afterE0: UInt8 = 5  // A0–BF, then one more (no overlongs)
        static let afterED: UInt8 = 6  // 80–9F, then one more (no surrogates)
        static let afterF0: UInt8 = 7  // 90–BF, then two more (no overlongs)
        static let afterF4: UInt8 = 8  // 80–8F, then two more (nothing above U+10FFFF)
        static let count = 9
    }

    /// Byte classes: bytes the DFA never needs to tell apart share a class.
    private enum ByteClass {
        static let ascii: UInt8 = 0  // 00–7F
        static let continuation80: UInt8 = 1  // 80–8F
        static let continuation90: UInt8 = 2  // 90–9F
        static let continuationA0: UInt8 = 3  // A0–BF
        static let invalid: UInt8 = 4  // C0, C1, F5–FF
        static let lead2: UInt8 = 5  // C2–DF
        static let leadE0: UInt8 = 6
        static let lead3: UInt8 = 7  // E1–EC, EE, EF
        static let leadED: UInt8 = 8
        static let leadF0: UInt8 = 9
        static let lead4: UInt8 = 10  // F1–F3
        static let leadF4: UInt8 = 11
        static let count = 12
    }

    private static let byteClasses: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x00...0x7F: ByteClass.ascii
        case 0x80...0x8F: ByteClass.continuation80
        case 0x90...0x9F: ByteClass.continuation90
        case 0xA0...0xBF: ByteClass.continuationA0
        case 0xC2...0xDF: ByteClass.lead2
        case 0xE0: ByteClass.leadE0
        case 0xED: ByteClass.leadED
        case 0xE1...0xEF: ByteClass.lead3
        case 0xF0: ByteClass.leadF0
        case 0xF1...0xF3: ByteClass.lead4
        case 0xF4: ByteClass.leadF4
        default: ByteClass.invalid
        }
    }

    /// `transitions[state * ByteClass.count + class]` is the next state.
    private static let transitions: [UInt8] = (0..<State.count * ByteClass.count).map { index in
        nextState(after: UInt8(index / ByteClass.count), on: UInt8(index % ByteClass.count))
    }

    private static func nextState(after state: UInt8, on byteClass: UInt8) -> UInt8 {
        let anyContinuation: ClosedRange<UInt8> = ByteClass.continuation80...ByteClass.continuationA0
        switch state {
        case State.accept:
            switch byteClass {
            case ByteClass.ascii: return State.accept
            case ByteClass.lead2: return State.oneMore
            case ByteClass.leadE0: return State.afterE0
            case ByteClass.lead3: return State.twoMore
            case ByteClass.leadED: return State.afterED
            case ByteClass.leadF0: return State.afterF0
            case ByteClass.lead4: return State.threeMore
            case ByteClass.leadF4: return State.afterF4
            default: return State.reject
            }
        case State.oneMore:
            return anyContinuation.contains(byteClass) ? State.accept : State.reject
        case State.twoMore:
            return anyContinuation.contains(byteClass) ? State.oneMore : State.reject
        case State.threeMore:
            return anyContinuation.contains(byteClass) ? State.twoMore : State.reject
        case State.afterE0:
            return byteClass == ByteClass.continuationA0 ? State.oneMore : State.reject
        case State.afterED:
            return byteClass == ByteClass.continuation80 || byteClass == ByteClass.continuation90
                ? State.oneMore : State.reject
        case State.afterF0:
            return byteClass == ByteClass.continuation90 || byteClass == ByteClass.continuationA0
                ? State.twoMore : State.reject
        case State.afterF4:
            return byteClass == ByteClass.continuation80 ? State.twoMore : State.reject
        default:
            return State.reject
        }
    }
}
