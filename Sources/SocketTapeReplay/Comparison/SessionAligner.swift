/// One step of an alignment of recorded (expected) and received (actual) messages; indexes
/// are positions in the two sequences.
public enum AlignmentStep: Sendable, Equatable {
    /// Both have this message: compare them.
    case paired(expected: Int, actual: Int)
    /// Recorded, not received.
    case missing(expected: Int)
    /// Received, not recorded.
    case unexpected(actual: Int)
}

/// Lines up two message sequences by their keys (``MessageShape`` in a replay) so that one extra
/// or missing message costs one step, not a difference in every message after it.
///
/// Myers' O((n+m)·D) difference algorithm ("An O(ND) Difference Algorithm and Its Variations",
/// 1986) finds a longest common subsequence of keys in time proportional to the sequences'
/// length times the number D of missing plus unexpected messages, so long sessions that mostly
/// agree are cheap. It keeps one row of furthest reaches per step (D²/2 integers), so D is capped
/// by `maxEditDistance`; a pair of sequences that differ more than that is aligned greedily
/// instead: keys that agree pair up, and at a disagreement the nearest match within `lookahead`
/// positions on either side decides which side skipped messages (O((n+m)·lookahead)).
///
/// Messages pair only when their keys are equal. In a run of equal keys the earliest ones pair,
/// so a message missing from the middle of a run of the same event shows as the last one missing
/// and the ones after it compared with their predecessors.
public enum SessionAligner {
    /// Aligns `expected` with `actual`, in order.
    public static func align<Key: Hashable>(
        expected: [Key], actual: [Key], maxEditDistance: Int = 2000, lookahead: Int = 64
    ) -> [AlignmentStep] {
        // Small integers compare faster than shapes.
        var codes: [Key: Int] = [:]
        func code(_ key: Key) -> Int {
            if let code = codes[key] { return code }
            codes[key] = codes.count
            return codes.count - 1
        }
        let left = expected.map(code)
        let right = actual.map(code)
        return myers(left, right, maxEditDistance: maxEditDistance) ?? greedy(left, right, lookahead: max(1, lookahead))
    }

    /// The shortest edit script, or nil when it needs more than `maxEditDistance` steps.
    static func myers(_ left: [Int], _ right: [Int], maxEditDistance: Int) -> [AlignmentStep]? {
        let n = left.count
        let m = right.count
        let limit = min(n + m, maxEditDistance)
        // reach[k + offset]: the furthest x on diagonal k (y = x - k) reached so far.
        let offset = limit + 1
        var reach = [Int](repeating: 0, count: 2 * limit + 3)
        // rows[d]: reach[-d...d] as it was before step d, for walking back.
        var rows: [[Int32]] = []
        for d in 0...limit {
            rows.append(reach[(offset - d)...(offset + d)].map { Int32($0) })
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && reach[offset + k - 1] < reach[offset + k + 1]) ? reach[offset + k + 1] : reach[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, left[x] == right[y] {
                    x += 1
                    y += 1
                }
                reach[offset + k] = x
                if x >= n, y >= m { return walkBack(rows, to: d, n: n, m: m) }
            }
        }
        return nil
    }

    /// The steps from (0, 0) to (n, m), read backwards from the rows of furthest reaches.
    private static func walkBack(_ rows: [[Int32]], to last: Int, n: Int, m: Int) -> [AlignmentStep] {
        var steps: [AlignmentStep] = []
        var x = n
        var y = m
        for d in stride(from: last, through: 1, by: -1) {
            let row = rows[d]
            let reached = { (k: Int) in Int(row[k + d]) }
            let k = x - y
            let previousK = k == -d || (k != d && reached(k - 1) < reached(k + 1)) ? k + 1 : k - 1
            let previousX = reached(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                steps.append(.paired(expected: x, actual: y))
            }
            if x == previousX {
                steps.append(.unexpected(actual: previousY))
            } else {
                steps.append(.missing(expected: previousX))
            }
            x = previousX
            y = previousY
        }
        while x > 0, y > 0 {
            x -= 1
            y -= 1
            steps.append(.paired(expected: x, actual: y))
        }
        return steps.reversed()
    }

    /// Greedy alignment with a bounded lookahead, for sequences too different for ``myers(_:_:maxEditDistance:)``.
    static func greedy(_ left: [Int], _ right: [Int], lookahead: Int) -> [AlignmentStep] {
        var steps: [AlignmentStep] = []
        var x = 0
        var y = 0
        while x < left.count, y < right.count {
            if left[x] == right[y] {
                steps.append(.paired(expected: x, actual: y))
                x += 1
                y += 1
                continue
            }
            // The nearest later match: skip received messages (they are unexpected) or recorded ones (missing).
            let skipActual = (1...lookahead).first { y + $0 < right.count && right[y + $0] == left[x] }
            let skipExpected = (1...lookahead).first { x + $0 < left.count && left[x + $0] == right[y] }
            switch (skipActual, skipExpected) {
            case (let skip?, let other) where other.map({ skip <= $0 }) ?? true:
                steps += (y..<y + skip).map { .unexpected(actual: $0) }
                y += skip
            case (_, let skip?):
                steps += (x..<x + skip).map { .missing(expected: $0) }
                x += skip
            default:
                steps.append(.missing(expected: x))
                steps.append(.unexpected(actual: y))
                x += 1
                y += 1
            }
        }
        steps += (x..<left.count).map { .missing(expected: $0) }
        steps += (y..<right.count).map { .unexpected(actual: $0) }
        return steps
    }
}
