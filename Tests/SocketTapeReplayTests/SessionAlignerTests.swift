import SocketTapeReplay
import Testing

struct SessionAlignerTests {
    /// The steps as a compact string: `=` paired, `-` missing, `+` unexpected, with positions.
    private static func script(_ steps: [AlignmentStep]) -> String {
        steps.map { step in
            switch step {
            case .paired(let left, let right): "=\(left)\(right)"
            case .missing(let left): "-\(left)"
            case .unexpected(let right): "+\(right)"
            }
        }.joined(separator: " ")
    }

    private static func align(_ expected: String, _ actual: String, maxEditDistance: Int = 2000) -> String {
        script(SessionAligner.align(expected: Array(expected), actual: Array(actual), maxEditDistance: maxEditDistance))
    }

    @Test func equalSequencesPairUp() {
        #expect(Self.align("abc", "abc") == "=00 =11 =22")
        #expect(Self.align("", "") == "")
    }

    @Test func oneMissingMessageCostsOneStep() {
        #expect(Self.align("abcd", "acd") == "=00 -1 =21 =32")
    }

    @Test func oneExtraMessageCostsOneStep() {
        #expect(Self.align("abcd", "abxcd") == "=00 =11 +2 =23 =34")
    }

    @Test func reorderedMessagesAreOneMissingAndOneUnexpected() {
        #expect(Self.align("abc", "bac") == "-0 =10 +1 =22")
    }

    @Test func everythingMissingOrUnexpected() {
        #expect(Self.align("ab", "") == "-0 -1")
        #expect(Self.align("", "ab") == "+0 +1")
        #expect(Self.align("ab", "xy") == "-0 -1 +0 +1")
    }

    @Test func sequencesTooDifferentForTheEditLimitAreAlignedGreedily() {
        // The same alignments as above, found by the lookahead instead of Myers.
        #expect(Self.align("abcd", "acd", maxEditDistance: 0) == "=00 -1 =21 =32")
        #expect(Self.align("abcd", "abxcd", maxEditDistance: 0) == "=00 =11 +2 =23 =34")
        #expect(Self.align("ab", "xy", maxEditDistance: 0) == "-0 +0 -1 +1")
        #expect(Self.align("abc", "", maxEditDistance: 0) == "-0 -1 -2")
    }

    /// A long session with a few changes stays cheap for Myers (D is small) and exact.
    @Test func longSessionsWithFewChanges() {
        let expected = (0..<20_000).map { $0 % 7 }
        var actual = expected
        actual.remove(at: 10_000)
        actual.insert(99, at: 15_000)
        let steps = SessionAligner.align(expected: expected, actual: actual)
        #expect(steps.count == 20_001)
        let changes = steps.filter { step in
            if case .paired = step { return false }
            return true
        }
        #expect(changes == [.missing(expected: 10_000), .unexpected(actual: 15_000)])
    }

    /// On small random sequences, every alignment is valid (each position once, in order, pairs
    /// only of equal keys) and Myers pairs as many messages as a longest common subsequence has.
    @Test func alignmentsAreValidAndMyersIsOptimal() {
        var seed: UInt64 = 0x5EED
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        for _ in 0..<300 {
            let expected = (0..<random(12)).map { _ in random(4) }
            let actual = (0..<random(12)).map { _ in random(4) }
            for maxEditDistance in [2000, 1] {
                let steps = SessionAligner.align(expected: expected, actual: actual, maxEditDistance: maxEditDistance)
                var left: [Int] = []
                var right: [Int] = []
                for step in steps {
                    switch step {
                    case .paired(let x, let y):
                        #expect(expected[x] == actual[y])
                        left.append(x)
                        right.append(y)
                    case .missing(let x): left.append(x)
                    case .unexpected(let y): right.append(y)
                    }
                }
                #expect(left == Array(expected.indices))
                #expect(right == Array(actual.indices))
                if maxEditDistance == 2000 {
                    let pairs = steps.filter { if case .paired = $0 { true } else { false } }.count
                    #expect(pairs == Self.longestCommonSubsequence(expected, actual), "\(expected) \(actual)")
                }
            }
        }
    }

    /// The textbook dynamic programme.
    private static func longestCommonSubsequence(_ left: [Int], _ right: [Int]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: right.count + 1), count: left.count + 1)
        for x in left.indices.reversed() {
            for y in right.indices.reversed() {
                table[x][y] = left[x] == right[y] ? table[x + 1][y + 1] + 1 : max(table[x + 1][y], table[x][y + 1])
            }
        }
        return table[0][0]
    }
}
